import { amountChangeOf, sanitizeAmountInput } from '../../lib/money'

/**
 * An amount in yuan: a large ¥ field that keeps digits and two decimals; emits `change` with
 * { value, fen, error } (AmountChange) so pages never parse the amount themselves.
 */
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
      const change = amountChangeOf(sanitizeAmountInput(e.detail.value))
      this.triggerEvent('change', change)
      return change.value
    },
  },
})
