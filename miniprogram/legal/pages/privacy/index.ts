import { definePage } from '../../../lib/page'
import { openPrivacyContract } from '../../../lib/privacy'
import { PRIVACY_POLICY } from './policy-data'

/**
 * 隐私政策: what this mini program collects and why, generated from a scan of its own code
 * (policy-data.ts, scripts/deploy/privacy.ts), so it cannot promise less than the code does.
 */
definePage({
  data: {
    interfaces: [] as { key: string; label: string; purpose: string }[],
    collected: [] as { label: string; purpose: string; when: string }[],
  },
  methods: {
    onOpenContract() {
      openPrivacyContract()
    },
  },
  load() {
    return Promise.resolve({
      interfaces: PRIVACY_POLICY.interfaces.map((i) => ({ key: i.key, label: i.label.replace(/^收集你的|^访问你的|^读取你的|^使用你的|^调用你的/, ''), purpose: i.purpose })),
      collected: PRIVACY_POLICY.collected.map((c) => ({ label: c.label.replace(/^你的/, ''), purpose: c.purpose, when: c.when })),
    })
  },
})
