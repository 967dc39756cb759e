import { cloudConfig } from './config'

App({
  onLaunch() {
    if (cloudConfig.mode === 'cloud') {
      wx.cloud.init({ env: cloudConfig.envId, traceUser: true })
    }
  },
})
