import { mount, settle } from './helpers/mount'
import { fakeCloud, stubWx, usePageTest } from './helpers/fake-cloud'
import { demoBrand, demoCardMember } from './helpers/fixtures'
import { shakeDetector, SHAKE_COOLDOWN_MS } from '../../miniprogram/lib/shake'

/** The fake accelerometer: the listener the page registered, and whether the sensor runs. */
function fakeAccelerometer(restores: (() => void)[]) {
  const state = { listeners: [] as ((r: { x: number; y: number; z: number }) => void)[], running: false, switched: [] as string[] }
  restores.push(stubWx('onAccelerometerChange', (l: (r: { x: number; y: number; z: number }) => void) => state.listeners.push(l)))
  restores.push(stubWx('offAccelerometerChange', (l: unknown) => (state.listeners = state.listeners.filter((x) => x !== l))))
  restores.push(stubWx('startAccelerometer', () => (state.running = true)))
  restores.push(stubWx('stopAccelerometer', () => (state.running = false)))
  restores.push(stubWx('vibrateShort', () => Promise.resolve({})))
  restores.push(stubWx('switchTab', (o: { url: string }) => state.switched.push(o.url)))
  const feed = (...samples: [number, number, number][]) => samples.forEach(([x, y, z]) => state.listeners.forEach((l) => l({ x, y, z })))
  return { state, feed }
}

const SHAKE: [number, number, number][] = [[0, 0, -1], [1.5, 1.2, -0.2], [-1.4, -1.1, -1.8], [0, 0, -1]]

describe('shake for the member code (home)', () => {
  const { restores } = usePageTest()

  it('opens the member code on a shake, ignores small movements, and stops when the page hides', async () => {
    const acc = fakeAccelerometer(restores)
    fakeCloud({ 'member.card': { brand: demoBrand, member: demoCardMember } })
    const page = mount('pages/home/index')
    page.instance.onLoad({})
    await settle()
    page.triggerPageLifeTime('show')
    expect(acc.state.running).toBe(true)
    expect(acc.state.listeners).toHaveLength(1)

    acc.feed([0, 0, -1], [0.3, 0.2, -0.9], [0.1, 0.4, -1.1], [0.5, 0, -1])
    expect(acc.state.switched).toEqual([])
    acc.feed(...SHAKE)
    expect(acc.state.switched).toEqual(['/pages/card/index'])

    page.triggerPageLifeTime('hide')
    expect(acc.state.running).toBe(false)
    expect(acc.state.listeners).toHaveLength(0)
    page.triggerPageLifeTime('show')
    page.triggerPageLifeTime('show')
    expect(acc.state.listeners).toHaveLength(1) // a second show does not add a second listener
  })

  it('does nothing for a visitor who is not a member yet', async () => {
    const acc = fakeAccelerometer(restores)
    fakeCloud({ 'member.card': { brand: demoBrand, member: null } })
    const page = mount('pages/home/index')
    page.instance.onLoad({})
    await settle()
    page.triggerPageLifeTime('show')
    acc.feed(...SHAKE)
    expect(acc.state.switched).toEqual([])
  })

  it('counts one shake per cooldown', () => {
    let t = 0
    const detect = shakeDetector(() => t)
    const hits = () => SHAKE.filter(([x, y, z]) => ((t += 50), detect({ x, y, z }))).length
    expect(hits()).toBe(1)
    expect(hits()).toBe(0)
    t += SHAKE_COOLDOWN_MS
    expect(hits()).toBe(1)
  })
})
