/**
 * What to photograph: per page, the states worth a look. Add a line when a page grows a state.
 *
 *   page        route from app.json
 *   state       'loaded' | 'empty' | 'error'  (names the file: pages-home--loaded.png)
 *   openid      who is acting (the app's dev openid); default: the demo consumer
 *   query       onLoad(query)
 *   failCalls   every gateway call fails like a dropped network (the page's error state)
 *   expectText  text that must be on screen (the test checks it)
 *
 * Pages without a line get a default 'loaded' scenario expecting their navigation title.
 */
import type { PageInfo } from './project'

export type ScreenState = 'loaded' | 'empty' | 'error'

export interface Scenario {
  page: string
  state: ScreenState
  openid?: string
  query?: Record<string, string>
  failCalls?: boolean
  expectText: string[]
}

/** The demo merchant's consumer (the app's default dev openid in local mode). */
export const DEMO_CONSUMER = 'demo-consumer-openid'
/** Someone who has never used the app: no member record, no coupons, no history. */
export const NEW_CONSUMER = 'screens-new-consumer'

const NETWORK_ERROR = '网络不给力'

export const SCENARIOS: Scenario[] = [
  { page: 'pages/home/index', state: 'loaded', openid: DEMO_CONSUMER, expectText: ['欢迎光临', '服务正常', '会员卡', '优惠券'] },
  { page: 'pages/home/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'pages/card/index', state: 'empty', openid: NEW_CONSUMER, expectText: ['完成首次支付即可成为会员'] },
  { page: 'pages/coupons/index', state: 'empty', openid: NEW_CONSUMER, expectText: ['暂无可用优惠券'] },
  { page: 'pages/mine/index', state: 'loaded', openid: DEMO_CONSUMER, expectText: ['微信用户', '我的优惠券'] },
]

/** The three README pictures: the first candidate page that exists is used; a missing one is skipped. */
export const README_SHOTS: { file: string; candidates: RegExp[]; state: ScreenState }[] = [
  { file: 'member-card.png', candidates: [/^pages\/card\/index$/, /^pages\/home\/index$/], state: 'loaded' },
  { file: 'my-coupons.png', candidates: [/^pages\/coupons\/index$/, /coupon/], state: 'loaded' },
  { file: 'game.png', candidates: [/game|scratch|wheel|red-?packet|lottery/], state: 'loaded' },
]

/** Every page of the app with its scenarios (a default 'loaded' one where none is listed). */
export function scenariosFor(pages: PageInfo[], listed: Scenario[] = SCENARIOS): Scenario[] {
  const routes = new Set(pages.map((p) => p.route))
  const out: Scenario[] = []
  for (const p of pages) {
    const own = listed.filter((s) => s.page === p.route)
    if (own.length) out.push(...own)
    else out.push({ page: p.route, state: 'loaded', openid: DEMO_CONSUMER, expectText: p.title ? [p.title] : [] })
  }
  for (const s of listed) if (!routes.has(s.page)) console.warn(`screens: scenario for ${s.page} skipped: not in app.json`)
  return out
}

/** screens/out/<file>: pages/home/index + loaded → pages-home--loaded.png */
export function fileNameOf(s: Pick<Scenario, 'page' | 'state'>): string {
  return `${s.page.replace(/\/index$/, '').replace(/\//g, '-')}--${s.state}.png`
}
