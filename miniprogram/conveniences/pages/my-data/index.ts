import { callCloud, hasCode } from '../../../lib/call-cloud'
import { definePage, exclusive } from '../../../lib/page'
import { confirmDialog, instanceStore, toast } from '../../../lib/ui'
import { DELETE_EXPLAINED, DELETE_FINAL, exportText, orderRows, pointRows, profileRows, referralText, type MyData, type Row } from './view-model'

/** The last answer, for the copy (kept out of setData: only the rows are drawn). */
const held = instanceStore(() => ({ data: null as MyData | null }))

const NOT_MEMBER_TEXT = '您还不是会员，商家没有保存您的会员信息'

/**
 * 我的 → 个人信息: what the merchant holds about the member, a copy to keep, the consents to
 * withdraw, and deleting the membership (two confirmations, each saying what happens).
 */
definePage({
  data: {
    profile: [] as Row[],
    tags: [] as string[],
    points: [] as Row[],
    pointsTotal: 0,
    orders: [] as Row[],
    ordersTotal: 0,
    referral: '',
    brandName: '',
    emptyText: NOT_MEMBER_TEXT,
    deleting: false,
    deleted: false,
  },
  methods: {
    onCopy() {
      const d = held(this).data
      if (!d) return
      void wx.setClipboardData({ data: exportText(d, this.data.brandName, new Date()) })
    },
    onLocationSettings() {
      // The app keeps no position; the permission itself lives in WeChat's settings for this mini program.
      void wx.openSetting({}).catch(() => toast('请在右上角「···」→「设置」中管理位置权限'))
    },
    async onDelete() {
      if (!(await confirmDialog('注销会员', DELETE_EXPLAINED, '继续'))) return
      if (!(await confirmDialog('最后确认', DELETE_FINAL, '确认注销'))) return
      await exclusive(this, 'deleting', async () => {
        await callCloud('member', 'deleteMembership', { confirm: '确认注销' })
        this.setData({ deleted: true, viewState: 'empty', emptyText: '您的会员已注销，个人信息已删除' })
        void wx.showModal({ title: '已注销', content: '您的个人信息已删除。感谢您一直以来的支持。', showCancel: false, confirmText: '知道了' })
      })
    },
  },
  async load() {
    let data: MyData
    try {
      data = await callCloud('member', 'myData', {})
    } catch (e) {
      if (hasCode(e, 'NOT_FOUND')) return { viewState: 'empty', emptyText: this.data.deleted ? '您的会员已注销，个人信息已删除' : NOT_MEMBER_TEXT }
      throw e
    }
    held(this).data = data
    const card = await callCloud('member', 'card', {}).catch(() => null)
    return {
      profile: profileRows(data),
      tags: data.tags,
      points: pointRows(data).slice(0, 20),
      pointsTotal: data.points.total,
      orders: orderRows(data).slice(0, 20),
      ordersTotal: data.orders.total,
      referral: referralText(data),
      brandName: card?.brand.name ?? '',
    }
  },
})
