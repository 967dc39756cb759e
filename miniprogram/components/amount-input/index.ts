import { sanitizeAmountInput } from '../../lib/money'

/** An amount in yuan: a large ¥ field that keeps digits and two decimals; emits `change` {value}. */
Component({
  properties: {
    value: { type: String, value: '' },
    label: { type: String, value: '金额（元）' },
    placeholder: { type: String, value: '请输入金额' },
    error: { type: String, value: '' },
    hint: { type: String, value: '' },
    disabled: { type: Boolean, value: false },
  },
  methods: {
    onInput(e: WechatMiniprogram.Input) {
      const value = sanitizeAmountInput(e.detail.value)
      this.triggerEvent('change', { value })
      return value
    },
  },
})
