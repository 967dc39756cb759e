import type { IncomingMessage, ServerResponse } from 'http'
import { BodyTooLargeError, header, readBody, sendJson, sendRaw } from './http-util'
import { parseMultipart } from './multipart'
import { cloudPathProblem, STORAGE_MAX_FILE_BYTES, type StorageSimulator } from './storage'

const TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.txt': 'text/plain; charset=utf-8', '.json': 'application/json' }
const typeOf = (p: string): string => TYPES[/\.[a-z0-9]+$/i.exec(p)?.[0]?.toLowerCase() ?? ''] ?? 'application/octet-stream'

/** COS's error body, which node-sdk's uploadFile parses (it expects Code, Message, RequestId, TraceId). */
function cosError(res: ServerResponse, status: number, code: string, message: string): void {
  const xml = `<?xml version='1.0' encoding='utf-8' ?>\n<Error><Code>${code}</Code><Message>${message}</Message><Resource>/</Resource><RequestId>local</RequestId><TraceId>local</TraceId></Error>`
  sendRaw(res, status, xml, 'application/xml')
}

async function sendFile(res: ServerResponse, found: { file: { contentType: string }; content: Buffer } | null): Promise<void> {
  if (!found) return cosError(res, 404, 'NoSuchKey', 'The specified key does not exist.')
  res.setHeader('Cache-Control', 'no-store')
  sendRaw(res, 200, found.content, found.file.contentType)
}

/**
 * Cloud storage over HTTP (storage.ts):
 *   PUT  /storage/cos/<ticket>            the SDK's upload of the bytes (after storage.getUploadMetadata)
 *   POST /storage/upload + X-WX-OPENID    the mini program's wx.cloud.uploadFile: multipart `cloudPath` and `file`
 *   GET  /storage/files/<path>?sign=&t=   a temporary link (getTempFileURL); 403 once expired or forged
 *   GET  /storage/public/<path>           the default rule 所有用户可读 (how <image src="cloud://…"> reads it)
 *   GET  /storage                         every stored file (fileID, size, uploader, time)
 */
export async function storageRoutes(req: IncomingMessage, res: ServerResponse, parts: string[], search: URLSearchParams, storage: StorageSimulator): Promise<void> {
  const method = req.method ?? 'GET'
  if (parts.length === 0 && method === 'GET') {
    return sendJson(res, 200, { ok: true, files: storage.files().map((f) => ({ fileID: storage.fileIdOf(f.path), size: f.size, contentType: f.contentType, openid: f.openid, createdAt: f.createdAt })) })
  }
  if (parts[0] === 'cos' && parts.length === 2 && method === 'PUT') {
    let body: Buffer
    try {
      body = await readBody(req, STORAGE_MAX_FILE_BYTES)
    } catch (e) {
      if (e instanceof BodyTooLargeError) return cosError(res, 400, 'EntityTooLarge', `file exceeds ${STORAGE_MAX_FILE_BYTES} bytes`)
      throw e
    }
    const done = await storage.putWithTicket(parts[1], body, header(req, 'content-type') ?? 'application/octet-stream')
    if (!done.ok) return cosError(res, 403, done.code, done.message)
    res.statusCode = 200
    res.end()
    return
  }
  if (parts[0] === 'upload' && parts.length === 1 && method === 'POST') {
    const openid = header(req, 'x-wx-openid') ?? ''
    if (!openid) return sendJson(res, 401, { ok: false, code: 'UNAUTHENTICATED', message: 'uploadFile:fail 缺少用户身份（X-WX-OPENID）' })
    let fields: Map<string, Buffer>
    try {
      fields = await parseMultipart(header(req, 'content-type') ?? '', await readBody(req, STORAGE_MAX_FILE_BYTES + 64 * 1024))
    } catch (e) {
      if (e instanceof BodyTooLargeError) return sendJson(res, 413, { ok: false, code: 'EXCEED_MAX_FILE_SIZE', message: `uploadFile:fail 文件超过 ${STORAGE_MAX_FILE_BYTES} 字节` })
      return sendJson(res, 400, { ok: false, code: 'INVALID_PARAM', message: `uploadFile:fail ${(e as Error).message}` })
    }
    const cloudPath = fields.get('cloudPath')?.toString('utf8') ?? ''
    const problem = cloudPathProblem(cloudPath)
    if (problem) return sendJson(res, 400, { ok: false, code: 'INVALID_PARAM', message: `uploadFile:fail ${problem}` })
    const content = fields.get('file')
    if (!content || content.length === 0) return sendJson(res, 400, { ok: false, code: 'INVALID_PARAM', message: 'uploadFile:fail 缺少文件（file）' })
    if (content.length > STORAGE_MAX_FILE_BYTES) return sendJson(res, 413, { ok: false, code: 'EXCEED_MAX_FILE_SIZE', message: `uploadFile:fail 文件超过 ${STORAGE_MAX_FILE_BYTES} 字节` })
    // The default rule: only the creator (and admins) may write — overwriting another user's file is refused.
    const existing = storage.file(storage.fileIdOf(cloudPath))
    if (existing && existing.openid !== openid) return sendJson(res, 403, { ok: false, code: 'STORAGE_EXCEED_AUTHORITY', message: 'uploadFile:fail 无权覆盖其他用户的文件' })
    const fileID = await storage.put(cloudPath, content, typeOf(cloudPath), openid)
    return sendJson(res, 200, { ok: true, fileID, statusCode: 204, errMsg: 'cloud.uploadFile:ok' })
  }
  if (parts[0] === 'files' && parts.length >= 2 && method === 'GET') {
    const found = await storage.download(parts.slice(1).join('/'), search.get('sign') ?? '', search.get('t') ?? '')
    if (!found) return cosError(res, 403, 'AccessDenied', 'Request has expired or the signature is invalid')
    return sendFile(res, found)
  }
  if (parts[0] === 'public' && parts.length >= 2 && method === 'GET') return sendFile(res, await storage.read(parts.slice(1).join('/')))
  sendJson(res, 404, { ok: false, code: 'NOT_FOUND', message: 'storage routes: GET /storage, PUT /storage/cos/<ticket>, POST /storage/upload, GET /storage/files/<path>?sign=&t=, GET /storage/public/<path>' })
}
