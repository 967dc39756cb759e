/**
 * One coupon as a ticket: the value on the left (¥10, 8.5折, a gift's name), title, condition and
 * a line (validity, stock) on the right, a state tag, and a slot for the action (领取, 使用 …).
 * Muted for coupons that can no longer be used. Taps bubble as `tap` to the page.
 */
Component({
  options: { multipleSlots: true },
  properties: {
    valueLabel: { type: String, value: '' },
    /** 'gift' values are names: smaller type */
    kind: { type: String, value: 'cash' },
    title: { type: String, value: '' },
    condition: { type: String, value: '' },
    line: { type: String, value: '' },
    tag: { type: String, value: '' },
    /** a highlighted tag (expiring soon, from a friend) */
    hot: { type: Boolean, value: false },
    muted: { type: Boolean, value: false },
    selected: { type: Boolean, value: false },
  },
})
