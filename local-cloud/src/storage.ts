import { createHash, createHmac, randomBytes, timingSafeEqual } from 'crypto'
import fs from 'fs'
import path from 'path'
import { JsonFile } from './json-file'
import type { Logger } from './logger'

/**
 * Cloud storage (云存储) as wx-server-sdk and the mini program see it, in the data folder:
 * files under `_storage/` (named by a hash of their path, so no path reaches the disk), their
 * records in `_storage.json`. The SDK's three requests (node-sdk storage/index.js) go through
 * /tcb: `storage.getUploadMetadata` (then a PUT of the bytes to the URL it answers, as to COS),
 * `storage.batchGetDownloadUrl` and `storage.batchDeleteFile`. The mini program uploads with
 * `POST /storage/upload` (what wx.cloud.uploadFile does in the real client).
 *
 * The real cloud's limits (README "Cloud storage"): cloudPath not empty, not starting with '/',
 * no '//', at most 850 bytes encoded, none of CAN/EM/SUB/ESC (WeChat's 文件命名限制);
 * getTempFileURL and deleteFile take at most 50 files a call; a temporary link lives maxAge
 * seconds, default and at most one day.
 */

export const STORAGE_MAX_FILES_PER_CALL = 50
export const TEMP_URL_DEFAULT_MAX_AGE_S = 86_400
export const TEMP_URL_MAX_AGE_S = 86_400
/** An upload ticket (the signed PUT URL) is good for this long. */
export const UPLOAD_TICKET_MS = 10 * 60_000
/** The local server's own cap on one file (its request bodies are capped at 16 MB). */
export const STORAGE_MAX_FILE_BYTES = 10 * 1024 * 1024
const MAX_CLOUD_PATH_BYTES = 850

export interface StoredFile {
  path: string
  size: number
  contentType: string
  /** OPENID of the uploader (a mini program user), or '' for a cloud function / the console. */
  openid: string
  createdAt: string
  blob: string
}

interface StorageState {
  files: Record<string, StoredFile>
}

/** Why a cloudPath is refused (WeChat's naming rules), or null. */
export function cloudPathProblem(p: unknown): string | null {
  if (typeof p !== 'string' || p.length === 0) return 'cloudPath 不能为空'
  if (p.startsWith('/')) return 'cloudPath 不能以 / 开头'
  if (p.includes('//')) return 'cloudPath 不能出现连续的 /'
  if (Buffer.byteLength(encodeURI(p), 'utf8') > MAX_CLOUD_PATH_BYTES) return `cloudPath 编码后不能超过 ${MAX_CLOUD_PATH_BYTES} 字节`
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(p)) return 'cloudPath 不能含控制字符'
  return null
}

export interface StorageOptions {
  dataDir: string
  logger: Logger
  env: string
  /** The mini program's appid number part of the bucket name. */
  appNumber?: string
  /** The server's base URL (http://127.0.0.1:<port>), known once it listens. */
  baseUrl: () => string
  /** Clock (tests move it to see links expire). */
  now?: () => number
}

export type StorageReply = Record<string, unknown>

export class StorageSimulator {
  readonly bucket: string
  private readonly state: JsonFile<StorageState>
  private readonly dir: string
  private readonly secret = randomBytes(32)
  private readonly tickets = new Map<string, { path: string; openid: string; expiresAt: number }>()
  private readonly now: () => number

  constructor(private readonly opts: StorageOptions) {
    // The real bucket: <hex of the env's first 2 characters>-<env>-<number> (e.g. 7465-test-…-1250000000).
    this.bucket = `${Buffer.from(opts.env.slice(0, 2)).toString('hex')}-${opts.env}-${opts.appNumber ?? '1300000000'}`
    this.dir = path.join(opts.dataDir, '_storage')
    fs.mkdirSync(this.dir, { recursive: true })
    this.state = new JsonFile<StorageState>(path.join(opts.dataDir, '_storage.json'), () => ({ files: {} }))
    this.now = opts.now ?? Date.now
  }

  /** `cloud://<env>.<bucket>/<path>`, the fileID uploadFile answers. */
  fileIdOf(p: string): string {
    return `cloud://${this.opts.env}.${this.bucket}/${p}`
  }

  /** The path of one of this environment's fileIDs, or null (another env or bucket, or not a fileID). */
  pathOf(fileId: unknown): string | null {
    if (typeof fileId !== 'string') return null
    const prefix = `cloud://${this.opts.env}.${this.bucket}/`
    if (!fileId.startsWith(prefix)) return null
    const p = fileId.slice(prefix.length)
    return cloudPathProblem(p) ? null : p
  }

  files(): StoredFile[] {
    return Object.values(this.state.data.files)
  }

  file(fileId: string): StoredFile | undefined {
    const p = this.pathOf(fileId)
    return p === null ? undefined : this.state.data.files[p]
  }

  /** Stores bytes at a path (an upload from the mini program, or the PUT after getUploadMetadata). Overwrites, as COS does. */
  async put(p: string, content: Buffer, contentType: string, openid: string): Promise<string> {
    const blob = createHash('sha256').update(p).digest('hex')
    await fs.promises.writeFile(path.join(this.dir, blob), content)
    await this.state.update((s) => {
      s.files[p] = { path: p, size: content.length, contentType, openid, createdAt: new Date(this.now()).toISOString(), blob }
    })
    return this.fileIdOf(p)
  }

  /** The bytes behind a temporary link, or null when the link is forged, expired, or its file is gone. */
  async download(p: string, sign: string, expires: string): Promise<{ file: StoredFile; content: Buffer } | null> {
    const t = Number(expires)
    if (!Number.isSafeInteger(t) || t * 1000 < this.now()) return null
    const want = Buffer.from(this.sign(p, t))
    const got = Buffer.from(sign)
    if (want.length !== got.length || !timingSafeEqual(want, got)) return null
    const file = this.state.data.files[p]
    if (!file) return null
    return { file, content: await fs.promises.readFile(path.join(this.dir, file.blob)) }
  }

  /** The bytes of a file by path (the public-read route). */
  async read(p: string): Promise<{ file: StoredFile; content: Buffer } | null> {
    const file = this.state.data.files[p]
    if (!file) return null
    return { file, content: await fs.promises.readFile(path.join(this.dir, file.blob)) }
  }

  /** Redeems an upload ticket (one PUT per ticket). */
  async putWithTicket(ticket: string, content: Buffer, contentType: string): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
    const t = this.tickets.get(ticket)
    if (!t || t.expiresAt < this.now()) {
      this.tickets.delete(ticket)
      return { ok: false, code: 'AccessDenied', message: 'Request has expired or the signature is invalid' }
    }
    if (content.length > STORAGE_MAX_FILE_BYTES) return { ok: false, code: 'EntityTooLarge', message: `file exceeds ${STORAGE_MAX_FILE_BYTES} bytes` }
    this.tickets.delete(ticket)
    await this.put(t.path, content, contentType, t.openid)
    return { ok: true }
  }

  /** One /tcb `storage.*` action; `openid` is the calling invocation's user (the uploader). */
  async handle(action: string, params: Record<string, unknown>, requestId: string, openid: string): Promise<StorageReply> {
    const fail = (code: string, message: string): StorageReply => ({ requestId, code, message })
    if (action === 'storage.getUploadMetadata') {
      const problem = cloudPathProblem(params.path)
      if (problem) return fail('INVALID_PARAM', problem)
      const p = params.path as string
      const ticket = randomBytes(16).toString('hex')
      this.tickets.set(ticket, { path: p, openid, expiresAt: this.now() + UPLOAD_TICKET_MS })
      return {
        requestId,
        data: { url: `${this.opts.baseUrl()}/storage/cos/${ticket}`, token: ticket, authorization: 'local', fileId: this.fileIdOf(p), cosFileId: `local-cos-${ticket}` },
      }
    }
    if (action === 'storage.batchGetDownloadUrl') {
      const list = params.file_list
      if (!Array.isArray(list) || list.length === 0) return fail('INVALID_PARAM', 'file_list 必须是非空数组')
      if (list.length > STORAGE_MAX_FILES_PER_CALL) return fail('INVALID_PARAM', `一次最多 ${STORAGE_MAX_FILES_PER_CALL} 个文件`)
      const download_list = list.map((item: unknown) => {
        const o = (item ?? {}) as { fileid?: unknown; max_age?: unknown }
        const maxAge = typeof o.max_age === 'number' && o.max_age > 0 ? Math.min(Math.floor(o.max_age), TEMP_URL_MAX_AGE_S) : TEMP_URL_DEFAULT_MAX_AGE_S
        const p = this.pathOf(o.fileid)
        if (p === null || !this.state.data.files[p]) return { fileID: o.fileid, tempFileURL: '', maxAge, code: 'STORAGE_FILE_NONEXIST' }
        return { fileID: o.fileid, tempFileURL: this.tempUrl(p, maxAge), maxAge, code: 'SUCCESS' }
      })
      return { requestId, data: { download_list } }
    }
    if (action === 'storage.batchDeleteFile') {
      const list = params.fileid_list
      if (!Array.isArray(list) || list.length === 0) return fail('INVALID_PARAM', 'fileid_list 必须是非空数组')
      if (list.length > STORAGE_MAX_FILES_PER_CALL) return fail('INVALID_PARAM', `一次最多 ${STORAGE_MAX_FILES_PER_CALL} 个文件`)
      const delete_list: { fileID: unknown; code: string }[] = []
      for (const fileId of list) delete_list.push({ fileID: fileId, code: (await this.remove(fileId)) ? 'SUCCESS' : 'STORAGE_FILE_NONEXIST' })
      return { requestId, data: { delete_list } }
    }
    return fail('INVALID_PARAM', `action ${action} is not supported by the local cloud`)
  }

  private async remove(fileId: unknown): Promise<boolean> {
    const p = this.pathOf(fileId)
    const file = p === null ? undefined : this.state.data.files[p]
    if (!file || p === null) return false
    await this.state.update((s) => {
      delete s.files[p]
    })
    await fs.promises.rm(path.join(this.dir, file.blob), { force: true })
    return true
  }

  private sign(p: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${p}\n${expires}`).digest('hex').slice(0, 32)
  }

  private tempUrl(p: string, maxAgeS: number): string {
    const t = Math.floor(this.now() / 1000) + maxAgeS
    return `${this.opts.baseUrl()}/storage/files/${p.split('/').map(encodeURIComponent).join('/')}?sign=${this.sign(p, t)}&t=${t}`
  }

  async clear(): Promise<void> {
    await this.state.update((s) => {
      s.files = {}
    })
    await fs.promises.rm(this.dir, { recursive: true, force: true })
    await fs.promises.mkdir(this.dir, { recursive: true })
  }

  flush(): Promise<void> {
    return this.state.flush()
  }
}
