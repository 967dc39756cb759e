import { get, post, startTestCloud, type HttpAnswer, type TestCloud } from './helpers'

let t: TestCloud

beforeAll(async () => {
  t = await startTestCloud()
})
afterAll(async () => {
  await t.stop()
})

const tcb = (body: unknown, headers?: Record<string, string>): Promise<HttpAnswer<any>> => post(`${t.cloud.url}/tcb?env=local&seqId=1`, body, headers)

describe('/tcb endpoint robustness', () => {
  it('answers malformed requests with HTTP 200 and a cloud error code', async () => {
    for (const body of ['not json', '[]', '{}', JSON.stringify({ action: 'storage.getUploadMetadata' })]) {
      const a = await tcb(body)
      expect(a.status).toBe(200)
      expect(a.body).toMatchObject({ code: 'INVALID_PARAM', message: expect.any(String), requestId: expect.any(String) })
    }
    const garbled = await fetch(`${t.cloud.url}/tcb`, {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nbroken',
    })
    expect(garbled.status).toBe(200)
    expect((await garbled.json()).code).toBe('INVALID_PARAM')
  })

  it('validates functions.invokeFunction', async () => {
    expect((await tcb({ action: 'functions.invokeFunction' })).body.code).toBe('INVALID_PARAM')
    expect((await tcb({ action: 'functions.invokeFunction', function_name: 'echo', request_data: '{bad' })).body.code).toBe('INVALID_PARAM')
    expect((await tcb({ action: 'functions.invokeFunction', function_name: 'nope', request_data: '{}' })).body.code).toBe('FUNCTION_NOT_FOUND')
    const ok = await tcb({ action: 'functions.invokeFunction', function_name: 'echo', request_data: '{"a":1}' }, { 'X-TCB-Source': 'wx_http' })
    expect(JSON.parse(ok.body.data.response_data)).toMatchObject({ event: { a: 1 }, wx: { SOURCE: 'wx_http' } })
  })

  it('passes database actions to the engine', async () => {
    const a = await tcb({ action: 'database.calculateDocument', collectionName: 'notes', queryType: 'WHERE' })
    expect(a.body.data).toEqual({ total: 0 })
  })

  it('keeps serving after all that', async () => {
    expect((await get(`${t.cloud.url}/health`)).body.ok).toBe(true)
    expect((await get(`${t.cloud.url}/nothing-here`)).status).toBe(404)
  })
})
