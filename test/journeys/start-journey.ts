/**
 * The lifecycle every journey file repeats, once: one world (local cloud + Chromium) per file,
 * a fresh preview per test, and no page error allowed. Kept out of harness.ts so another
 * branch's helper of the same name cannot collide with it.
 */
import { PreviewUi, startWorld, type World } from './harness'

export interface Journey {
  /** The world of this file (valid inside tests). */
  world(): World
  /** The preview opened for the running test. */
  ui(): PreviewUi
}

/** Registers beforeAll/afterAll/beforeEach/afterEach; `setup` runs once after the world starts. */
export function startJourney(setup?: (world: World) => Promise<void>): Journey {
  let world: World | null = null
  let ui: PreviewUi | null = null
  beforeAll(async () => {
    world = await startWorld()
    if (setup) await setup(world)
  }, 120_000)
  afterAll(async () => {
    await world?.close()
  })
  beforeEach(async () => {
    ui = await PreviewUi.open(world as World)
  })
  afterEach(async () => {
    const errors = ui?.errors ?? []
    await ui?.close()
    ui = null
    expect(errors).toEqual([])
  })
  return {
    world: () => world as World,
    ui: () => ui as PreviewUi,
  }
}
