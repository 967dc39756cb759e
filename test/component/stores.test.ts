import { mount, settle } from './helpers/mount'
import { fail, fakeCloud, stubWx, textOf, usePageTest } from './helpers/fake-cloud'
import type { RouteOutput } from './helpers/fake-cloud'

type Listed = RouteOutput<'member.stores'>['stores'][number]
const store = (id: string, name: string, extra: Partial<Listed> = {}): Listed => ({
  id, name, address: `${name}地址`, phone: '021-6400000' + id.length, hours: '07:30-22:00', latitude: 31.2, longitude: 121.4, distanceM: null, openState: 'open', ...extra,
})
const NEAR = [store('a', '人民广场店', { distanceM: 320 }), store('bb', '浦东店', { distanceM: 4200, openState: 'closed' }), store('ccc', '老店', { latitude: 0, longitude: 0, hours: '看心情', openState: 'unknown' })]

describe('门店 page (store locator)', () => {
  const { toasts, restores } = usePageTest()
  const stub = (api: string, impl: unknown) => restores.push(stubWx(api, impl))

  it('with location: asks the server for the nearest first and shows distance, state, map markers', async () => {
    stub('getLocation', (o: { success: (r: unknown) => void }) => o.success({ latitude: 31.23, longitude: 121.47 }))
    const cloud = fakeCloud({ 'member.stores': (input) => ({ stores: input.near ? NEAR : [] }) })
    const page = mount('conveniences/pages/stores/index')
    page.instance.onLoad({})
    await settle()
    expect(cloud.calls).toEqual([{ name: 'member', action: 'stores', input: { near: { latitude: 31.23, longitude: 121.47 } } }])
    const text = textOf(page)
    expect(text).toContain('按距离由近到远排列')
    expect(text.indexOf('人民广场店')).toBeLessThan(text.indexOf('浦东店'))
    expect(text).toContain('320m')
    expect(text).toContain('4.2km')
    expect(text).toContain('营业中')
    expect(text).toContain('已打烊')
    expect(text).toContain('营业时间 看心情')
    expect(text).toContain('联系客服')
    // the store without a location has no marker; the map centres on the person
    expect(page.data.markers.map((m: { id: number }) => m.id)).toEqual([0, 1])
    expect([page.data.latitude, page.data.longitude, page.data.located]).toEqual([31.23, 121.47, true])
    expect(page.querySelector('#store-map')).toBeTruthy()
  })

  it('without location: lists by name (as the server sends them), says so, and centres on the first store', async () => {
    stub('getLocation', (o: { fail: (e: unknown) => void }) => o.fail({ errMsg: 'getLocation:fail auth deny' }))
    const byName = [store('a', '老店', { latitude: 0, longitude: 0 }), store('bb', '人民广场店', { latitude: 31.23, longitude: 121.47 })]
    const cloud = fakeCloud({ 'member.stores': { stores: byName } })
    const page = mount('conveniences/pages/stores/index')
    page.instance.onLoad({})
    await settle()
    expect(cloud.calls[0].input).toEqual({})
    expect(textOf(page)).toContain('未获取位置，门店按名称排列')
    expect(textOf(page)).not.toMatch(/\d+m\b/)
    expect([page.data.latitude, page.data.longitude, page.data.located]).toEqual([31.23, 121.47, false])
  })

  it('calls and navigates to the tapped store', async () => {
    stub('getLocation', (o: { fail: (e: unknown) => void }) => o.fail({}))
    const calls: unknown[] = []
    const opened: unknown[] = []
    stub('makePhoneCall', (o: unknown) => (calls.push(o), Promise.resolve({})))
    stub('openLocation', (o: unknown) => (opened.push(o), Promise.resolve({})))
    fakeCloud({ 'member.stores': { stores: NEAR } })
    const page = mount('conveniences/pages/stores/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onCall({ currentTarget: { dataset: { index: 1 } } })
    page.instance.onNavigate({ currentTarget: { dataset: { index: 0 } } })
    page.instance.onNavigate({ currentTarget: { dataset: { index: 2 } } })
    expect(calls).toEqual([{ phoneNumber: '021-64000002' }])
    expect(opened).toEqual([{ latitude: 31.2, longitude: 121.4, name: '人民广场店', address: '人民广场店地址', scale: 16 }])
    expect(toasts).toEqual(['该门店暂未标注位置'])
  })

  it('empty and error states', async () => {
    stub('getLocation', (o: { fail: (e: unknown) => void }) => o.fail({}))
    fakeCloud({ 'member.stores': { stores: [] } })
    const empty = mount('conveniences/pages/stores/index')
    empty.instance.onLoad({})
    await settle()
    expect(empty.data.viewState).toBe('empty')
    expect(textOf(empty)).toContain('暂无营业中的门店')

    fakeCloud({ 'member.stores': () => fail('INTERNAL', '系统繁忙，请稍后重试') })
    const broken = mount('conveniences/pages/stores/index')
    broken.instance.onLoad({})
    await settle()
    expect(broken.data.viewState).toBe('error')
    expect(textOf(broken)).toContain('系统繁忙，请稍后重试')
  })
})
