import { post, sdkFor, startTestCloud, type TestCloud, type Sdk } from './helpers'

let t: TestCloud
let sdk: Sdk

beforeAll(async () => {
  t = await startTestCloud()
  sdk = sdkFor(t.cloud)
})
afterAll(async () => {
  await t.stop()
})

describe('database through the local cloud', () => {
  it('serves a function that uses the database as its caller', async () => {
    const a = await post(`${t.cloud.url}/functions/dbuser`, { text: 'hello' }, { 'X-WX-OPENID': 'o-db' })
    expect(a.status).toBe(200)
    expect(a.body).toMatchObject({ doc: { openid: 'o-db', text: 'hello' }, count: 1, atIsDate: true })
    const fromNode = await sdk.database().collection('notes').doc(a.body.id).get()
    expect(fromNode.data).toMatchObject({ openid: 'o-db', text: 'hello' })
    expect(t.cloud.engine.stats().collections.notes).toBe(1)
  })

  it('answers the SDK with the cloud error for a missing collection', async () => {
    await expect(sdk.database().collection('nope').add({ data: { a: 1 } })).rejects.toMatchObject({ errCode: -502005 })
  })

  it('takes exactly the stock there is under 500 concurrent invocations', async () => {
    await sdk.database().collection('stock').add({ data: { _id: 'item', stock: 100 } })
    const answers = await Promise.all(
      Array.from({ length: 500 }, (_, i) => post(`${t.cloud.url}/functions/stock`, { id: 'item' }, { 'X-WX-OPENID': `o-${i}` })),
    )
    const failures = answers.filter((a) => a.status !== 200)
    expect(failures.map((a) => a.body)).toEqual([])
    expect(answers.filter((a) => a.body.ok === true)).toHaveLength(100)
    const doc = await sdk.database().collection('stock').doc('item').get()
    expect(doc.data.stock).toBe(0)
  })
})
