/**
 * Cloud storage in the local cloud (local-cloud/src/storage.ts) as the unmodified wx-server-sdk
 * and the mini program use it, with the real one's limits; and the avatar flow end to end:
 * uploaded from the mini program side, stored on the member, shown, replaced, and deleted with
 * the membership (issue 17, chain gaps).
 */
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import type { ActionInput, ActionName, ActionOutput, FunctionName } from '../../../cloudfunctions/shared/contract'
import { all, seedCodeSecret, seedOrg, startAdminCloud, type AdminCloud, type Org } from '../admin/helpers'

let app: AdminCloud
let org: Org
let sdk: any

async function ok<F extends FunctionName, A extends ActionName<F>>(name: F, action: A, input: ActionInput<F, A>, openid: string): Promise<ActionOutput<F, A>> {
  const res = await app.call(name, action, input, openid)
  if (!res.ok) throw new Error(`${name}.${action}: ${res.code} ${res.message}`)
  return res.data
}
async function becomeMember(openid: string): Promise<void> {
  const order = await ok('member', 'createOrder', { storeId: org.storeA, amountFen: 1000 }, openid)
  await app.pay(order.outTradeNo)
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')

/** What the mini program's wx.uploadFile sends in local mode (miniprogram/lib/avatar.ts). */
async function clientUpload(openid: string, cloudPath: string, content: Buffer = PNG): Promise<{ status: number; body: any }> {
  const form = new FormData()
  form.set('cloudPath', cloudPath)
  form.set('file', new Blob([content]), 'tmp.png')
  const res = await fetch(`${app.lc.url}/storage/upload`, { method: 'POST', body: form, headers: { 'X-WX-OPENID': openid } })
  return { status: res.status, body: await res.json() }
}

beforeAll(async () => {
  app = await startAdminCloud()
  org = await seedOrg(app)
  await seedCodeSecret(app.db)
  sdk = app.sdk
})
afterAll(() => app.stop())

describe('cloud storage through the unmodified SDK', () => {
  it('uploads, links, downloads and deletes with fileIDs cloud://<env>.<bucket>/<path>', async () => {
    const up = await sdk.uploadFile({ cloudPath: 'docs/hello.txt', fileContent: Buffer.from('你好，云存储') })
    expect(up.fileID).toBe('cloud://local.6c6f-local-1300000000/docs/hello.txt')
    const links = await sdk.getTempFileURL({ fileList: [up.fileID, 'cloud://local.6c6f-local-1300000000/docs/none.txt', 'cloud://other-env.bucket/x.txt'] })
    expect(links.fileList.map((f: any) => f.status)).toEqual([0, -503003, -503003])
    expect(links.fileList[0].maxAge).toBe(86_400)
    const res = await fetch(links.fileList[0].tempFileURL)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('你好，云存储')
    // A forged signature or another path with the same signature is refused.
    const forged = links.fileList[0].tempFileURL.replace(/sign=[0-9a-f]+/, 'sign=00000000000000000000000000000000')
    expect((await fetch(forged)).status).toBe(403)
    expect((await fetch(links.fileList[0].tempFileURL.replace('hello.txt', 'other.txt'))).status).toBe(403)
    // maxAge is capped at one day.
    const long = await sdk.getTempFileURL({ fileList: [{ fileID: up.fileID, maxAge: 7 * 86_400 }] })
    expect(long.fileList[0].maxAge).toBe(86_400)
    const downloaded = await sdk.downloadFile({ fileID: up.fileID })
    expect(Buffer.from(downloaded.fileContent).toString('utf8')).toBe('你好，云存储')
    const gone = await sdk.deleteFile({ fileList: [up.fileID] })
    expect(gone.fileList).toEqual([{ fileID: up.fileID, status: 0, errMsg: 'ok' }])
    expect((await fetch(links.fileList[0].tempFileURL)).status).toBe(403)
    const again = await sdk.deleteFile({ fileList: [up.fileID] })
    expect(again.fileList[0].status).toBe(-503003)
  })

  it('refuses what the real cloud refuses: bad cloudPaths and more than 50 files a call', async () => {
    for (const cloudPath of ['', '/abs.png', 'a//b.png', `${'长'.repeat(100)}.png`, 'a\u001bb.png']) {
      await expect(sdk.uploadFile({ cloudPath, fileContent: PNG })).rejects.toBeTruthy()
    }
    const many = Array.from({ length: 51 }, (_, i) => `cloud://local.6c6f-local-1300000000/x/${i}.png`)
    await expect(sdk.getTempFileURL({ fileList: many })).rejects.toMatchObject({ errCode: -1, errMsg: expect.stringContaining('一次最多 50 个文件') })
    await expect(sdk.deleteFile({ fileList: many })).rejects.toMatchObject({ errCode: -1, errMsg: expect.stringContaining('一次最多 50 个文件') })
    expect(app.lc.storage.files()).toEqual([])
  })

  it('takes many uploads in parallel, each file whole', async () => {
    const n = 20
    const ups = await Promise.all(Array.from({ length: n }, (_, i) => sdk.uploadFile({ cloudPath: `bulk/${i}.bin`, fileContent: Buffer.alloc(1000 + i, i) })))
    expect(new Set(ups.map((u: any) => u.fileID)).size).toBe(n)
    const links = await sdk.getTempFileURL({ fileList: ups.map((u: any) => u.fileID) })
    const sizes = await Promise.all(links.fileList.map(async (f: any) => (await (await fetch(f.tempFileURL)).arrayBuffer()).byteLength))
    expect(sizes).toEqual(Array.from({ length: n }, (_, i) => 1000 + i))
    await sdk.deleteFile({ fileList: ups.map((u: any) => u.fileID) })
    expect(app.lc.storage.files()).toEqual([])
  })
})

describe('the mini program’s upload (wx.cloud.uploadFile in local mode)', () => {
  it('needs an identity and a valid path, and never overwrites another user’s file', async () => {
    expect((await clientUpload('', 'avatars/x.png')).status).toBe(401)
    expect((await clientUpload('o-up-a', '/avatars/x.png')).status).toBe(400)
    const mine = await clientUpload('o-up-a', 'avatars/shared-name.png')
    expect(mine).toMatchObject({ status: 200, body: { fileID: 'cloud://local.6c6f-local-1300000000/avatars/shared-name.png' } })
    expect(await clientUpload('o-up-b', 'avatars/shared-name.png', Buffer.from('evil'))).toMatchObject({ status: 403, body: { code: 'STORAGE_EXCEED_AUTHORITY' } })
    const read = await fetch(`${app.lc.url}/storage/public/avatars/shared-name.png`)
    expect(Buffer.from(await read.arrayBuffer())).toEqual(PNG)
    expect(read.headers.get('content-type')).toBe('image/png')
  })
})

describe('the avatar, end to end', () => {
  const SUBJECT = 'o-avatar-subject'
  const OTHER = 'o-avatar-other'

  it('is uploaded, stored, shown, replaced (the old file deleted) and deleted with the membership', async () => {
    await becomeMember(SUBJECT)
    const first = (await clientUpload(SUBJECT, 'avatars/1700000000000-first.png')).body.fileID as string
    expect(await ok('member', 'setProfile', { avatarFileId: first }, SUBJECT)).toMatchObject({ avatarFileId: first })
    expect((await ok('member', 'card', {}, SUBJECT)).member).toMatchObject({ avatarFileId: first })
    const second = (await clientUpload(SUBJECT, 'avatars/1700000000001-second.png')).body.fileID as string
    await ok('member', 'setProfile', { avatarFileId: second }, SUBJECT)
    expect(app.lc.storage.file(first)).toBeUndefined()
    expect(app.lc.storage.file(second)).toMatchObject({ openid: SUBJECT })
    await ok('member', 'deleteMembership', { confirm: '确认注销' }, SUBJECT)
    expect(app.lc.storage.file(second)).toBeUndefined()
    expect((await fetch(`${app.lc.url}/storage/public/avatars/1700000000001-second.png`)).status).toBe(404)
  })

  it('never deletes a picture another member still shows (pointing at someone else’s fileID)', async () => {
    await becomeMember(OTHER)
    await becomeMember('o-avatar-attacker')
    const theirs = (await clientUpload(OTHER, 'avatars/1700000000002-other.png')).body.fileID as string
    await ok('member', 'setProfile', { avatarFileId: theirs }, OTHER)
    await ok('member', 'setProfile', { avatarFileId: theirs }, 'o-avatar-attacker')
    await ok('member', 'setProfile', { clear: ['avatar'] }, 'o-avatar-attacker')
    await ok('member', 'setProfile', { avatarFileId: theirs }, 'o-avatar-attacker')
    await ok('member', 'deleteMembership', { confirm: '确认注销' }, 'o-avatar-attacker')
    expect(app.lc.storage.file(theirs)).toMatchObject({ openid: OTHER })
    expect((await ok('member', 'card', {}, OTHER)).member).toMatchObject({ avatarFileId: theirs })
  })

  it('concurrent deletions of one membership delete its avatar once and erase it fully', async () => {
    const who = 'o-avatar-race'
    await becomeMember(who)
    const pic = (await clientUpload(who, 'avatars/1700000000003-race.png')).body.fileID as string
    await ok('member', 'setProfile', { avatarFileId: pic }, who)
    const results = await Promise.all(Array.from({ length: 4 }, () => app.call('member', 'deleteMembership', { confirm: '确认注销' }, who)))
    expect(results.filter((r) => r.ok).length).toBeGreaterThanOrEqual(1)
    for (const r of results) if (!r.ok) expect(['NOT_FOUND', 'CONFLICT']).toContain(r.code)
    expect(app.lc.storage.file(pic)).toBeUndefined()
    expect(await all(app.db, COLLECTIONS.members, { avatarFileId: pic })).toEqual([])
  })
})
