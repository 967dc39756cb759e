/** The WXSS → CSS rules the screenshots depend on (no browser needed). */
import { convertUnits, rewriteSelector } from '../../screens/compile-wxss'
import { rewriteIconRule } from '../../screens/icons'

describe('rewriteSelector', () => {
  const component = { prefix: 't-cell', hostTag: 't-cell' }
  test('prefixes classes of a component, keeps pseudo-elements and attributes', () => {
    expect(rewriteSelector('.t-cell--hover::after', component)).toBe('.t-cell--t-cell--hover::after')
    expect(rewriteSelector('.a > .b:not(.c)[data-x="1"]', component)).toBe('.t-cell--a > .t-cell--b:not(.t-cell--c)[data-x="1"]')
  })
  test('maps :host, page and built-in tags', () => {
    expect(rewriteSelector(':host .x', component)).toBe('t-cell .t-cell--x')
    expect(rewriteSelector('page view text', { prefix: null, hostTag: 'page' })).toBe('page wx-view wx-text')
  })
})

test('units: 750 rpx is the screen width; vh and the safe area are the phone web view', () => {
  expect(convertUnits('margin: 0 32rpx -16rpx 1.5rpx')).toBe('margin: 0 16px -8px 0.75px')
  expect(convertUnits('min-height: 100vh')).toBe('min-height: calc(100 * var(--screens-vh))')
  expect(convertUnits('padding-bottom: env(safe-area-inset-bottom)')).toBe('padding-bottom: var(--screens-safe-bottom)')
})

test('TDesign glyph rules become SVG masks', () => {
  expect(rewriteIconRule(['.t-icon--t-icon-home:before'], "content:'\\E470';")).toBe('-webkit-mask-image:url("/__icons/home.svg");mask-image:url("/__icons/home.svg")')
  expect(rewriteIconRule(['.t-icon--t-icon-base'], 'display:block')).toBeNull()
})
