import {
  claimPrivacyListener,
  openPrivacyContract,
  privacyContractName,
  releasePrivacyListener,
  type PrivacyResolve,
} from '../../lib/privacy'
import { instanceStore } from '../../lib/ui'

const local = instanceStore(() => ({ resolve: null as PrivacyResolve | null, show: null as ((r: PrivacyResolve) => void) | null }))

/**
 * Put once on a page that calls wx.getLocation / wx.scanCode / getPhoneNumber: when WeChat asks
 * for the privacy agreement it pops up, and the user's answer goes back to WeChat.
 */
Component({
  properties: {
    /** what the user was about to do, e.g. 「获取位置以推荐附近门店」 */
    reason: { type: String, value: '使用该功能' },
  },
  data: { visible: false, contractName: '《用户隐私保护指引》' },
  lifetimes: {
    attached() {
      const s = local(this)
      s.show = (resolve) => {
        s.resolve = resolve
        this.setData({ visible: true })
        void privacyContractName().then((contractName) => this.setData({ contractName }))
        resolve({ event: 'exposureAuthorization' })
      }
      claimPrivacyListener(s.show)
    },
    detached() {
      const s = local(this)
      if (s.show) releasePrivacyListener(s.show)
      if (s.resolve) s.resolve({ event: 'disagree' })
      s.resolve = null
    },
  },
  pageLifetimes: {
    show() {
      const s = local(this)
      if (s.show) claimPrivacyListener(s.show)
    },
  },
  methods: {
    onAgree() {
      const s = local(this)
      s.resolve?.({ event: 'agree', buttonId: 'agree-privacy' })
      s.resolve = null
      this.setData({ visible: false })
    },
    onDisagree() {
      const s = local(this)
      s.resolve?.({ event: 'disagree' })
      s.resolve = null
      this.setData({ visible: false })
    },
    onOpenContract() {
      openPrivacyContract()
    },
  },
})
