import { callCloud, CloudCallError, hasCode } from '../../../lib/call-cloud'
import { definePage, exclusive } from '../../../lib/page'
import { instanceStore, toast, toastError } from '../../../lib/ui'
import { storeIdFromScene } from '../../../shared/reward-rules'

const local = instanceStore(() => ({ scene: '' }))

/** The position the member chose to share (null when refused or unavailable). */
function sharedLocation(): Promise<{ latitude: number; longitude: number } | null> {
  return new Promise((resolve) => {
    wx.getLocation({ type: 'gcj02', success: (r) => resolve({ latitude: r.latitude, longitude: r.longitude }), fail: () => resolve(null) })
  })
}

/**
 * 到店签到有礼: opened by the store's check-in code (scene `s=<store>`). One tap checks in once
 * per store per day; the server decides the gift and, when the merchant asks, the distance.
 */
definePage({
  data: {
    storeName: '',
    giftLabel: '',
    enabled: false,
    isMember: false,
    needsLocation: false,
    checkedInToday: false,
    resultText: '',
    couponId: '',
    checking: false,
  },
  onQuery(query) {
    const scene = typeof query.scene === 'string' ? decodeURIComponent(query.scene) : typeof query.s === 'string' ? `s=${query.s}` : ''
    local(this).scene = scene
  },
  methods: {
    async onCheckin() {
      await exclusive(
        this,
        'checking',
        async () => {
          const location = this.data.needsLocation ? await sharedLocation() : null
          const res = await callCloud('member', 'checkin', { scene: local(this).scene, location })
          const got = res.kind === 'points' ? `获得 ${res.points} 积分` : res.couponTitle ? `获得优惠券「${res.couponTitle}」` : '礼券已发完，签到已记录'
          toast('签到成功')
          this.setData({ checkedInToday: true, resultText: `签到成功，${got}`, couponId: res.couponId ?? '' })
        },
        (e) => {
          if (hasCode(e, 'ALREADY_CHECKED_IN')) this.setData({ checkedInToday: true })
          toastError(e)
        },
      )
    },
    goPay() {
      void wx.navigateTo({ url: '/pages/pay/index' })
    },
    goCoupon() {
      void wx.navigateTo({ url: `/coupons/pages/detail/index?id=${encodeURIComponent(this.data.couponId)}` })
    },
  },
  async load() {
    const scene = local(this).scene
    if (!storeIdFromScene(scene)) throw new CloudCallError('NOT_FOUND', '签到码无效，请重新扫描门店的签到码')
    const info = await callCloud('member', 'checkinInfo', { scene })
    return {
      storeName: info.storeName,
      giftLabel: info.giftLabel,
      enabled: info.enabled,
      isMember: info.isMember,
      needsLocation: info.needsLocation,
      checkedInToday: info.checkedInToday,
      resultText: info.today ? (info.today.couponTitle ? `今日已签到，获得优惠券「${info.today.couponTitle}」` : `今日已签到，获得 ${info.today.points} 积分`) : '',
      couponId: info.today?.couponId ?? '',
    }
  },
})
