import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../../../local-cloud/src/server'
import { schema } from '../../../database/schema'
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { sdkFor, post, type Sdk } from '../local-cloud/helpers'

/** The app's real functions (built by the cloud project's globalSetup) on a fresh local cloud. */
export const APP_FUNCTIONS = path.resolve(__dirname, '../../../dist/cloudfunctions')

export interface AppCloud {
  lc: LocalCloud
  sdk: Sdk
  db: any
  /** Calls `name.action` as `openid` through the gateway, as the mini program does. */
  call<T = any>(name: string, action: string, input: unknown, openid: string): Promise<{ ok: boolean; data: T; code?: string; message?: string }>
  /** "The user paid": WeChat Pay delivers the callback `times` times. */
  pay(outTradeNo: string, opts?: { times?: number; concurrent?: boolean }): Promise<any[]>
  stop(): Promise<void>
}

export async function startAppCloud(extra: Partial<LocalCloudOptions> = {}): Promise<AppCloud> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-cloud-'))
  const lc = await startLocalCloud({ port: 0, dataDir, functionsDir: APP_FUNCTIONS, schema, quiet: true, timers: false, ...extra })
  const sdk = sdkFor(lc)
  return {
    lc,
    sdk,
    db: sdk.database(),
    async call(name, action, input, openid) {
      const res = await post(`${lc.url}/functions/${name}`, { action, input }, { 'X-WX-OPENID': openid })
      return res.body
    },
    async pay(outTradeNo, opts = {}) {
      const res = await post(`${lc.url}/pay/orders/${outTradeNo}/pay`, opts)
      if (res.status !== 200) throw new Error(`pay ${outTradeNo}: ${res.status} ${JSON.stringify(res.body)}`)
      return res.body.results
    },
    async stop() {
      await lc.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export async function addStore(db: any, id: string, name = `门店${id}`): Promise<void> {
  await db.collection(COLLECTIONS.stores).add({
    data: { _id: id, name, address: '上海市徐汇区漕溪北路 1 号', phone: '021-00000000', hours: '08:00-22:00', latitude: 31.19, longitude: 121.43, status: 'open', createdAt: new Date() },
  })
}

/** Everything for one member, to check invariants. */
export async function memberState(db: any, openid: string) {
  const member = (await db.collection(COLLECTIONS.members).where({ openid }).get()).data[0] ?? null
  const ledger = member ? (await db.collection(COLLECTIONS.pointsLedger).where({ memberId: member._id }).limit(1000).get()).data : []
  return { member, ledger, ledgerSum: ledger.reduce((s: number, l: any) => s + l.delta, 0), debtSum: ledger.reduce((s: number, l: any) => s + l.debtDelta, 0) }
}
