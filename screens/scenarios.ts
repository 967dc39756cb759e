/**
 * What to photograph: per page, the states worth a look. Add a line when a page grows a state.
 *
 *   page        route from app.json
 *   state       'loaded' | 'empty' | 'error'  (names the file: pages-home--loaded.png)
 *   openid      who is acting (the app's dev openid); default: the demo consumer
 *   query       onLoad(query)
 *   failCalls   every gateway call fails like a dropped network (the page's error state)
 *   expectText  text that must be on screen (the test checks it)
 *   denyLocation  wx.getLocation fails as when the person refused location (state 'no-location')
 *
 * Pages without a line get a default 'loaded' scenario expecting their navigation title.
 */
import type { PageInfo } from './project'
import { DEMO_COUPON_IDS } from '../database/demo-seed'

export type ScreenState = 'loaded' | 'empty' | 'error' | 'no-location'

export interface Scenario {
  page: string
  state: ScreenState
  openid?: string
  query?: Record<string, string>
  failCalls?: boolean
  expectText: string[]
  denyLocation?: boolean
}

/** The demo merchant's consumer (the app's default dev openid in local mode). */
export const DEMO_CONSUMER = 'demo-consumer-openid'
/** Someone who has never used the app: no member record, no coupons, no history. */
export const NEW_CONSUMER = 'screens-new-consumer'
/** The demo merchant's owner and a clerk of its first store (database/demo-seed.ts). */
export const DEMO_OWNER = 'demo-owner-openid'
export const DEMO_CLERK = 'demo-clerk-openid'

const NETWORK_ERROR = '网络不给力'

export const SCENARIOS: Scenario[] = [
  { page: 'pages/home/index', state: 'loaded', openid: DEMO_CONSUMER, expectText: ['拾光咖啡', '积分', '到店支付', '邀请好友'] },
  { page: 'pages/home/index', state: 'empty', openid: 'screens-newcomer-openid', expectText: ['欢迎光临', '去支付，成为会员'] },
  { page: 'pages/home/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'pages/card/index', state: 'loaded', openid: DEMO_CONSUMER, expectText: ['会员码', '秒后自动刷新', '积分明细', '邀请好友'] },
  { page: 'pages/card/index', state: 'empty', openid: NEW_CONSUMER, expectText: ['完成首次支付即可成为会员', '去支付，成为会员'] },
  { page: 'pages/card/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'pages/coupons/index', state: 'empty', openid: NEW_CONSUMER, expectText: ['暂无可用优惠券'] },
  { page: 'pages/mine/index', state: 'loaded', openid: DEMO_OWNER, expectText: ['微信用户', '我的优惠券', '商家管理', '员工加入'] },
  { page: 'pages/mine/index', state: 'empty', openid: NEW_CONSUMER, expectText: ['微信用户', '员工加入'] },
  { page: 'pages/pay/index', state: 'loaded', openid: DEMO_CONSUMER, expectText: ['到店支付', '支付金额（元）', '确认支付'] },
  { page: 'pages/pay/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'pages/points/index', state: 'loaded', openid: DEMO_CONSUMER, expectText: ['消费得积分'] },
  { page: 'pages/points/index', state: 'empty', openid: NEW_CONSUMER, expectText: ['暂无积分记录'] },
  { page: 'pages/points/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'pages/invite/index', state: 'loaded', openid: DEMO_CONSUMER, expectText: ['邀请好友，一起享会员礼遇', '我邀请的好友', '邀请微信好友'] },
  { page: 'pages/invite/index', state: 'empty', openid: NEW_CONSUMER, expectText: ['成为会员后即可邀请好友', '去支付，成为会员'] },
  { page: 'pages/invite/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'admin/pages/index/index', state: 'loaded', openid: DEMO_OWNER, expectText: ['林老板', '收银', '会员查询', '员工邀请', '门店'] },
  { page: 'admin/pages/index/index', state: 'empty', openid: NEW_CONSUMER, expectText: ['仅限商家员工使用', '输入邀请码加入'] },
  { page: 'admin/pages/index/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'admin/pages/cashier/index', state: 'loaded', openid: DEMO_CLERK, expectText: ['收银门店', '扫会员码', '确认收银'] },
  { page: 'admin/pages/cashier/index', state: 'empty', openid: NEW_CONSUMER, expectText: ['您还没有可收银的门店'] },
  { page: 'admin/pages/cashier/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'admin/pages/members/index', state: 'loaded', openid: DEMO_OWNER, expectText: ['输入顾客手机号或会员号'] },
  { page: 'admin/pages/member/index', state: 'error', openid: DEMO_OWNER, query: { memberNo: '99999999' }, expectText: ['会员不存在', '重新加载'] },
  { page: 'admin/pages/staff-invite/index', state: 'loaded', openid: DEMO_OWNER, expectText: ['邀请的角色', '店员', '生成邀请码'] },
  { page: 'admin/pages/staff-invite/index', state: 'empty', openid: DEMO_CLERK, expectText: ['您的角色不能邀请员工'] },
  { page: 'admin/pages/stores/index', state: 'loaded', openid: DEMO_OWNER, expectText: ['营业时间'] },
  { page: 'admin/pages/stores/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'admin/pages/settings/index', state: 'loaded', openid: DEMO_OWNER, expectText: ['品牌与会员卡', '元得 1 积分', '会员等级', '添加等级', '保存'] },
  { page: 'admin/pages/settings/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'admin/pages/join/index', state: 'loaded', openid: NEW_CONSUMER, expectText: ['输入员工邀请码', '加入'] },
  // deploy: the privacy policy generated from the code's privacy-scoped calls (static: loaded only)
  { page: 'legal/pages/privacy/index', state: 'loaded', expectText: ['经你同意后使用的微信能力', '位置信息', '查看《用户隐私保护指引》'] },
  // Chain (issue 17): staff management, the audit list, sub-brands and regions.
  { page: 'admin/pages/staff/index', state: 'loaded', openid: DEMO_OWNER, expectText: ['我的角色与门店', '林老板 · 老板', '咖啡运营陈静', '子品牌运营', '调整', '未使用的邀请码', '撤销'] },
  { page: 'admin/pages/staff/index', state: 'empty', openid: NEW_CONSUMER, expectText: ['仅限商家员工使用'] },
  { page: 'admin/pages/staff/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'admin/pages/audit/index', state: 'loaded', openid: DEMO_OWNER, expectText: ['全部操作', '核销优惠券', '待店长审批', '保存人群', '定向发券'] },
  { page: 'admin/pages/audit/index', state: 'empty', openid: DEMO_CLERK, expectText: ['仅老板和总部可查看操作记录'] },
  { page: 'admin/pages/audit/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'admin/pages/sub-brands/index', state: 'loaded', openid: DEMO_OWNER, expectText: ['拾光咖啡', '拾光轻食', '区域 · 浦西区', '会员卡样式（本子品牌）', '门店划归'] },
  { page: 'admin/pages/sub-brands/index', state: 'empty', openid: NEW_CONSUMER, expectText: ['仅限商家员工使用'] },
  { page: 'admin/pages/sub-brands/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  // Conveniences: the store locator (with and without location) and 个人信息.
  { page: 'conveniences/pages/stores/index', state: 'loaded', openid: DEMO_CONSUMER, expectText: ['按距离由近到远排列', '静安南京西路店', '营业时间', '导航', '联系客服'] },
  { page: 'conveniences/pages/stores/index', state: 'no-location', openid: DEMO_CONSUMER, denyLocation: true, expectText: ['未获取位置，门店按名称排列', '徐汇漕溪北路店', '电话'] },
  { page: 'conveniences/pages/stores/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'conveniences/pages/my-data/index', state: 'loaded', openid: DEMO_CONSUMER, expectText: ['基本资料', '会员号', '积分记录', '订单', '复制全部信息', '注销会员并删除个人信息'] },
  { page: 'conveniences/pages/my-data/index', state: 'empty', openid: NEW_CONSUMER, expectText: ['商家没有保存您的会员信息'] },
  { page: 'conveniences/pages/my-data/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  // Coupons (coupons-ui): 我的券, 领券中心, campaign claim, detail, gift, gift records; admin 核销, 核销记录, templates.
  { page: 'pages/coupons/index', state: 'loaded', openid: DEMO_CONSUMER, expectText: ['可使用', '已使用', '已过期', '即将过期', '领券中心'] },
  { page: 'pages/coupons/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'coupons/pages/center/index', state: 'loaded', openid: DEMO_CONSUMER, expectText: ['领券中心', '立即领取', '每人限领'] },
  { page: 'coupons/pages/center/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'coupons/pages/claim/index', state: 'error', openid: DEMO_CONSUMER, query: { t: 'Zz99Zz99' }, expectText: ['优惠券活动不存在', '重新加载'] },
  { page: 'coupons/pages/detail/index', state: 'error', openid: DEMO_CONSUMER, query: { id: 'cp-unknown' }, expectText: ['优惠券不存在', '重新加载'] },
  { page: 'coupons/pages/gift/index', state: 'error', openid: NEW_CONSUMER, query: { token: 'unknown-gift-token-0000' }, expectText: ['赠送链接无效', '重新加载'] },
  { page: 'coupons/pages/gifts/index', state: 'loaded', openid: DEMO_CONSUMER, expectText: ['我送出的', '我收到的'] },
  { page: 'coupons/pages/gifts/index', state: 'empty', openid: NEW_CONSUMER, expectText: ['还没有转赠记录'] },
  { page: 'coupons/pages/gifts/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'admin/pages/coupon-verify/index', state: 'loaded', openid: DEMO_CLERK, expectText: ['核销门店', '券码 / 会员码', '扫码', '查询'] },
  { page: 'admin/pages/coupon-verify/index', state: 'empty', openid: NEW_CONSUMER, expectText: ['您没有可核销的门店'] },
  { page: 'admin/pages/coupon-verify/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'admin/pages/coupon-history/index', state: 'loaded', openid: DEMO_CLERK, expectText: ['徐汇漕溪北路店'] },
  { page: 'admin/pages/coupon-history/index', state: 'empty', openid: NEW_CONSUMER, expectText: ['暂无核销记录'] },
  { page: 'admin/pages/coupon-history/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'admin/pages/coupon-templates/index', state: 'loaded', openid: DEMO_OWNER, expectText: ['优惠券', '新建', '进行中', '草稿'] },
  { page: 'admin/pages/coupon-templates/index', state: 'empty', openid: DEMO_CLERK, expectText: ['您的角色不能管理优惠券'] },
  { page: 'admin/pages/coupon-templates/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'admin/pages/coupon-template/index', state: 'loaded', openid: DEMO_OWNER, expectText: ['基本信息', '券类型', '有效期', '创建（草稿）'] },
  { page: 'admin/pages/coupon-template/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  // Counter fraud (issue 12): the manager's 收银审批 (the demo seeds one pending ¥680 sale in 徐汇店).
  { page: 'admin/pages/approvals/index', state: 'loaded', openid: 'demo-manager-openid', expectText: ['¥680.00', '金额超过单笔审批线', '批准', '拒绝'] },
  { page: 'admin/pages/approvals/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  // Chain gaps (issue 17): 客服自动回复 (the demo merchant answers with the default keywords).
  { page: 'admin/pages/service/index', state: 'loaded', openid: DEMO_OWNER, expectText: ['自动回复', '欢迎语', '营业时间、几点', '小程序卡片 · 打开「会员卡」', '添加关键词回复'] },
  { page: 'admin/pages/service/index', state: 'empty', openid: DEMO_CLERK, expectText: ['仅老板和总部可设置客服自动回复'] },
  { page: 'admin/pages/service/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  // Coupon gaps: coupon detail, gift and campaign claim loaded, from the demo's fixed ids (database/demo-seed.ts DEMO_COUPON_IDS).
  { page: 'coupons/pages/detail/index', state: 'loaded', openid: DEMO_CONSUMER, query: { id: DEMO_COUPON_IDS.coupon }, expectText: ['满 100 减 20', '使用说明', '适用门店'] },
  { page: 'coupons/pages/gift/index', state: 'loaded', openid: NEW_CONSUMER, query: { token: DEMO_COUPON_IDS.giftToken }, expectText: ['新客 5 元券', '领取'] },
  { page: 'coupons/pages/claim/index', state: 'loaded', openid: NEW_CONSUMER, query: { t: DEMO_COUPON_IDS.templateShortId }, expectText: ['新客 5 元券', '专属优惠'] },
  // Segments and targeted campaigns (segments): the demo owner's segments and the finished 「老顾客回馈」.
  { page: 'admin/pages/segments/index', state: 'loaded', openid: DEMO_OWNER, expectText: ['重要价值会员', '60 天未到店', '老顾客回馈', '已完成'] },
  { page: 'admin/pages/segments/index', state: 'empty', openid: NEW_CONSUMER, expectText: ['您的角色不能管理人群'] },
  { page: 'admin/pages/segments/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'admin/pages/segment/index', state: 'loaded', openid: DEMO_OWNER, query: { preset: 'sleeping' }, expectText: ['距上次消费', '近 365 天消费金额', '预计人数', '向该人群发券'] },
  { page: 'admin/pages/segment/index', state: 'empty', openid: NEW_CONSUMER, expectText: ['您的角色不能管理人群'] },
  { page: 'admin/pages/segment/index', state: 'error', failCalls: true, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'admin/pages/campaign-create/index', state: 'loaded', openid: DEMO_OWNER, query: { preset: 'sleeping' }, expectText: ['沉睡会员', '对照组（%）', '试算', '立即发券'] },
  { page: 'admin/pages/campaign-create/index', state: 'empty', openid: NEW_CONSUMER, expectText: ['没有可发放的优惠券'] },
  { page: 'admin/pages/campaign-create/index', state: 'error', failCalls: true, query: { preset: 'sleeping' }, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'admin/pages/campaign/index', state: 'empty', openid: DEMO_OWNER, expectText: ['活动不存在'] },
  { page: 'admin/pages/campaign/index', state: 'error', failCalls: true, query: { id: 'cmp_x' }, expectText: [NETWORK_ERROR, '重新加载'] },
  { page: 'admin/pages/campaign-results/index', state: 'empty', openid: DEMO_OWNER, expectText: ['活动不存在'] },
  { page: 'admin/pages/campaign-results/index', state: 'error', failCalls: true, query: { id: 'cmp_x' }, expectText: [NETWORK_ERROR, '重新加载'] },
]

/** The three README pictures: the first candidate page that exists is used; a missing one is skipped. */
export const README_SHOTS: { file: string; candidates: RegExp[]; state: ScreenState }[] = [
  { file: 'home.png', candidates: [/^pages\/home\/index$/], state: 'loaded' },
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
