/**
 * Every page of app.json, in each state of screens/scenarios.ts, rendered by headless Chromium
 * against the local cloud with the demo merchant: no script error, the state's key text on
 * screen, not blank, nothing wider than the phone. Needs Chromium (see INSTALL_HINT): without
 * it every test fails saying how to install it.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { assertChromium } from '../../screens/render'
import { OUT_DIR, openSession, renderAllBounded, type Session } from '../../screens/run'
import type { RenderResult } from '../../screens/render'
import { fileNameOf, scenariosFor } from '../../screens/scenarios'
import { listPages } from '../../screens/project'

const scenarios = scenariosFor(listPages())
let session: Session | null = null
/** One render per scenario, a few pages at a time in the one browser (screens/run.ts); each test awaits its own. */
let rendering: Promise<RenderResult>[] = []

beforeAll(async () => {
  assertChromium()
  session = await openSession()
  mkdirSync(OUT_DIR, { recursive: true })
  rendering = renderAllBounded(session.renderer, scenarios)
}, 180_000)

afterAll(async () => {
  await session?.close()
})

test('every page of app.json has at least one scenario', () => {
  const pages = listPages().map((p) => p.route)
  expect(pages.length).toBeGreaterThan(0)
  expect(pages.filter((p) => !scenarios.some((s) => s.page === p))).toEqual([])
})

describe.each(scenarios.map((s, i) => [fileNameOf(s).replace(/\.png$/, ''), s, i] as const))('%s', (_name, scenario, i) => {
  test('renders without errors, shows its text, is not blank and fits the screen', async () => {
    if (!session) throw new Error('screens session did not start (see beforeAll)')
    const r = await rendering[i]
    expect(r.scenario).toBe(scenario)
    writeFileSync(join(OUT_DIR, fileNameOf(scenario)), r.png)
    expect(r.errors).toEqual([])
    expect(r.missingText).toEqual([])
    expect(r.missing).toEqual([])
    expect(r.overflow).toEqual([])
    expect(r.colours).toBeGreaterThan(4)
    expect(r.settled).toBe(true)
  })
})
