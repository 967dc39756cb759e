import protobuf from 'protobufjs'

/**
 * The protobuf messages of action wx.openApi / wx.wxPayApi (docs/openapi.proto, rebuilt from
 * wx-server-sdk's generated code). Parsed from text at load so the schema stays readable.
 */
const PROTO = `
syntax = "proto3";
message KeyValuePair { string key = 1; bytes value = 2; string contenttype = 3; string filename = 4; }
message OpenApiData { repeated KeyValuePair pairs = 1; }
message TokenApiData { string resourceAppid = 1; string resourceEnv = 2; }
message InnerApiData { uint32 modid = 1; uint32 cmdid = 2; string url = 3; bool useHttps = 4; int32 method = 5;
                       repeated string headers = 6; bytes body = 7; }
message SvrkitApiData { string apiName = 1; bytes reqData = 2; }
message CommApiData {
  enum ApiType { OPEN_API = 0; INNER_API = 1; SVRKIT_API = 2; TOKEN_API = 3; }
  ApiType apiType = 1; OpenApiData openapiData = 2; InnerApiData innerData = 3;
  SvrkitApiData svrkitData = 4; TokenApiData tokenData = 5; string appid = 6;
}
message HttpHeader { string key = 1; string value = 2; }
message CommOpenApiResp { bytes respData = 1; string contentType = 2; int32 errorCode = 3; uint32 httpCode = 4;
                          repeated HttpHeader headers = 5; int32 svrkitErrorCode = 6; }
message ApiOptions { string appid = 1; }
`

const root = protobuf.parse(PROTO, { keepCase: true }).root
const CommApiData = root.lookupType('CommApiData')
const CommOpenApiResp = root.lookupType('CommOpenApiResp')
const ApiOptions = root.lookupType('ApiOptions')

export interface KeyValuePair {
  key: string
  value: Buffer
  contenttype?: string
  filename?: string
}

export interface DecodedCommApiData {
  apiType: number
  pairs: KeyValuePair[]
  appid: string
}

export function decodeCommApiData(bytes: Buffer): DecodedCommApiData {
  const msg = CommApiData.toObject(CommApiData.decode(bytes), { defaults: true, enums: Number }) as {
    apiType: number
    openapiData?: { pairs?: { key: string; value: Uint8Array; contenttype: string; filename: string }[] }
    appid: string
  }
  const pairs = (msg.openapiData?.pairs ?? []).map((p) => ({
    key: p.key,
    value: Buffer.from(p.value),
    contenttype: p.contenttype || undefined,
    filename: p.filename || undefined,
  }))
  return { apiType: msg.apiType, pairs, appid: msg.appid }
}

export interface OpenApiResp {
  respData: Buffer
  contentType: string
  errorCode?: number
  httpCode?: number
}

export function encodeCommOpenApiResp(resp: OpenApiResp): Buffer {
  const msg = CommOpenApiResp.create({
    respData: resp.respData,
    contentType: resp.contentType,
    errorCode: resp.errorCode ?? 0,
    httpCode: resp.httpCode ?? 200,
  })
  return Buffer.from(CommOpenApiResp.encode(msg).finish())
}

/** `cloud.cloudPay({appid})`'s cross-account appid; empty when not given. */
export function decodeApiOptionsAppid(bytes: Buffer | undefined): string {
  if (!bytes || bytes.length === 0) return ''
  const msg = ApiOptions.toObject(ApiOptions.decode(bytes), { defaults: true }) as { appid: string }
  return msg.appid
}

/** For tests: builds a CommApiData the way wx-server-sdk does. */
export function encodeCommApiData(pairs: KeyValuePair[], appid = ''): Buffer {
  const msg = CommApiData.create({ apiType: 0, openapiData: { pairs }, appid })
  return Buffer.from(CommApiData.encode(msg).finish())
}

export function decodeCommOpenApiResp(bytes: Buffer): { respData: Buffer; contentType: string; errorCode: number } {
  const msg = CommOpenApiResp.toObject(CommOpenApiResp.decode(bytes), { defaults: true }) as {
    respData: Uint8Array
    contentType: string
    errorCode: number
  }
  return { respData: Buffer.from(msg.respData), contentType: msg.contentType, errorCode: msg.errorCode }
}
