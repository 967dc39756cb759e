/**
 * Binding the first owner (店主初始化)
 * ------------------------------------
 * Staff join by invite codes issued by someone above them, so the very first account, the
 * owner, is bound once per deployment with a setup key that only the person deploying knows:
 *
 * 1. Pick a random key of at least 16 characters, e.g. `openssl rand -hex 16`.
 * 2. Give it to the `admin` function as the environment variable `OWNER_SETUP_KEY`:
 *    - cloud: 云开发控制台 → 云函数 → admin → 版本与配置 → 配置 → 环境变量, add
 *      `OWNER_SETUP_KEY` = your key, save (the function restarts with it);
 *    - local cloud: start it with the variable set, e.g. `OWNER_SETUP_KEY=<key> npm start`
 *      (the local function workers inherit the server's environment).
 * 3. In the mini program, signed in with the owner's WeChat account, open 我的 → 员工加入 →
 *    「首次部署？店主初始化」 and enter the key and your name — or from DevTools' console:
 *    `wx.cloud.callFunction({ name: 'admin', data: { action: 'bootstrapOwner', input: { setupKey: '<key>', name: '张老板' } } })`
 * 4. Done: that WeChat account is the owner and invites everyone else (staff.invite). Any
 *    later bootstrap is refused because an owner exists; you may now delete the variable.
 *
 * Without the variable, bootstrap is refused with a message saying to set it. A wrong key is
 * refused and changes nothing; so does a second owner, even with the right key.
 */
import { timingSafeEqual, createHash } from 'node:crypto'
import { z } from 'zod'
import { defineAction } from '../shared/handler'
import { requireOpenid } from '../shared/caller'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { ROLE_NAMES } from '../domain/permissions'
import { list, runTransaction, txGet, withoutId } from '../services/db-util'
import type { StaffDoc } from '../services/documents'
import { staffNameSchema } from './staff'

export const SETUP_KEY_ENV = 'OWNER_SETUP_KEY'
export const MIN_SETUP_KEY_CHARS = 16
/**
 * merchant/owner records the binding: the one transaction that creates it is the only one that
 * binds an owner (transactions reach documents by id only, so "no owner yet" is this document).
 */
const OWNER_BINDING_ID = 'owner'

function sameKey(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

export const bootstrapOwner = defineAction(
  z.object({ setupKey: z.string().min(1, '请输入初始化密钥').max(200), name: staffNameSchema }).strict(),
  async (input, ctx) => {
    const openid = requireOpenid(ctx.caller)
    const expected = process.env[SETUP_KEY_ENV] ?? ''
    if (!expected) {
      throw new AppError('FORBIDDEN', `尚未配置初始化密钥：请在云开发控制台为 admin 云函数设置环境变量 ${SETUP_KEY_ENV} 后重试`)
    }
    if (expected.length < MIN_SETUP_KEY_CHARS) {
      throw new AppError('FORBIDDEN', `初始化密钥过短：环境变量 ${SETUP_KEY_ENV} 至少需要 ${MIN_SETUP_KEY_CHARS} 个字符`)
    }
    if (!sameKey(input.setupKey, expected)) throw new AppError('FORBIDDEN', '初始化密钥不正确')

    const owners = await list<StaffDoc>(ctx.db.collection(COLLECTIONS.staff).where({ role: 'owner' }).limit(1))
    if (owners.length > 0) throw new AppError('OWNER_BOUND')

    const now = ctx.now()
    await runTransaction(ctx.db, async (t) => {
      const marker = await txGet<{ openid: string }>(t, COLLECTIONS.merchant, OWNER_BINDING_ID)
      if (marker) throw new AppError('OWNER_BOUND')
      const existing = await txGet<StaffDoc>(t, COLLECTIONS.staff, openid)
      if (existing) throw new AppError('ALREADY_STAFF', `您已是${ROLE_NAMES[existing.role]}，不能再初始化店主`)
      await t.collection(COLLECTIONS.merchant).doc(OWNER_BINDING_ID).set({ data: { openid, boundAt: now } })
      const owner: StaffDoc = { _id: openid, openid, name: input.name, role: 'owner', storeIds: [], invitedBy: null, createdAt: now }
      await t.collection(COLLECTIONS.staff).doc(openid).set({ data: withoutId(owner) })
    })
    return { role: 'owner' as const, roleName: ROLE_NAMES.owner }
  },
)
