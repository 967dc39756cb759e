/**
 * One screenshot run: build assets, start the local cloud with the demo merchant, render every
 * scenario with one browser, write PNGs (and an index.html) into screens/out/.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildAssets, type Assets } from './assets'
import { startScreensCloud, type ScreensCloud } from './cloud'
import { ROOT } from './project'
import { Renderer, type RenderOptions, type RenderResult } from './render'
import { fileNameOf, README_SHOTS, scenariosFor, type Scenario } from './scenarios'

export const OUT_DIR = join(ROOT, 'screens', 'out')
export const README_DIR = join(ROOT, 'docs', 'screens')

export interface Session {
  assets: Assets
  cloud: ScreensCloud
  renderer: Renderer
  scenarios: Scenario[]
  timings: { buildMs: number; cloudMs: number; browserMs: number }
  close(): Promise<void>
}

/** Builds, starts the cloud and the browser (in parallel where they do not depend). */
export async function openSession(log: (m: string) => void = () => undefined): Promise<Session> {
  const t0 = Date.now()
  const cloudPromise = startScreensCloud(log).then((c) => ({ c, ms: Date.now() - t0 }))
  const assets = await buildAssets()
  for (const w of assets.warnings) log(`warning: ${w}`)
  let cloud: ScreensCloud | null = null
  try {
    const started = await cloudPromise
    cloud = started.c
    const t1 = Date.now()
    const renderer = await Renderer.start(assets, cloud.url)
    const browserMs = Date.now() - t1
    const c = cloud
    return {
      assets,
      cloud: c,
      renderer,
      scenarios: scenariosFor(assets.pages),
      timings: { buildMs: assets.buildMs, cloudMs: started.ms, browserMs },
      close: async () => {
        await renderer.close()
        await c.close()
      },
    }
  } catch (e) {
    if (cloud) await cloud.close()
    else await cloudPromise.then((s) => s.c.close(), () => undefined)
    throw e
  }
}

export function problemsOf(r: RenderResult): string[] {
  const out: string[] = []
  for (const e of r.errors) out.push(e)
  for (const m of r.missing) out.push(`not found: ${m}`)
  if (r.missingText.length) out.push(`missing text: ${r.missingText.join(', ')}`)
  for (const o of r.overflow.slice(0, 5)) out.push(`overflows the screen: ${o.element} (right ${o.right}px)`)
  if (r.colours < 4) out.push(`looks blank (${r.colours} colours)`)
  if (!r.settled) out.push('did not settle (requests or DOM changes still going after 8 s)')
  return out
}

function writeIndex(results: { file: string; r: RenderResult }[]): void {
  const cells = results
    .map(({ file, r }) => {
      const problems = problemsOf(r)
      return `<figure><img src="${file}" width="375"><figcaption><b>${r.scenario.page}</b> · ${r.scenario.state}${problems.length ? `<br><span>${problems.map(escapeHtml).join('<br>')}</span>` : ''}</figcaption></figure>`
    })
    .join('\n')
  writeFileSync(
    join(OUT_DIR, 'index.html'),
    `<!doctype html><meta charset="utf-8"><title>screens</title><style>body{font-family:sans-serif;background:#ddd;display:flex;flex-wrap:wrap;gap:24px;padding:24px}figure{margin:0;width:375px}img{box-shadow:0 2px 12px #0003;border-radius:8px;background:#fff}figcaption{font-size:13px;margin-top:8px}span{color:#c00}</style>\n${cells}\n`,
  )
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string)
}

/**
 * How many pages render at once in the one browser (each in its own context, so nothing is
 * shared but the process): SCREENS_CONCURRENCY, default 3 — a page spends most of its time
 * waiting for the local cloud and for its DOM to settle, not drawing.
 */
export const RENDER_CONCURRENCY = Math.max(1, Number(process.env.SCREENS_CONCURRENCY ?? 3) || 3)

/**
 * Starts rendering every scenario, at most `concurrency` at a time, and answers one promise per
 * scenario in the same order (each settles when its page is done, whatever the others do).
 */
export function renderAllBounded(renderer: Renderer, scenarios: Scenario[], opts: RenderOptions = {}, concurrency = RENDER_CONCURRENCY): Promise<RenderResult>[] {
  const settle: { resolve: (r: RenderResult) => void; reject: (e: unknown) => void }[] = []
  const promises = scenarios.map((_, i) => new Promise<RenderResult>((resolve, reject) => (settle[i] = { resolve, reject })))
  // a failure is the test's to report when it awaits its promise, not an unhandled rejection now
  for (const p of promises) p.catch(() => undefined)
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < scenarios.length) {
      const i = next++
      await renderer.render(scenarios[i], opts).then(settle[i].resolve, settle[i].reject)
    }
  }
  for (let k = 0; k < Math.min(concurrency, scenarios.length); k += 1) void lane()
  return promises
}

export interface RunSummary {
  results: RenderResult[]
  timings: Session['timings'] & { renderMs: number; totalMs: number }
}

export async function runAll(opts: { only?: string; log?: (m: string) => void } & RenderOptions = {}): Promise<RunSummary> {
  const log = opts.log ?? (() => undefined)
  const t0 = Date.now()
  const session = await openSession(log)
  try {
    mkdirSync(OUT_DIR, { recursive: true })
    for (const f of readdirSync(OUT_DIR)) if (f.endsWith('.png')) rmSync(join(OUT_DIR, f))
    const results: { file: string; r: RenderResult }[] = []
    const t1 = Date.now()
    const chosen = session.scenarios.filter((x) => !opts.only || x.page.includes(opts.only))
    const rendering = renderAllBounded(session.renderer, chosen, opts)
    for (const [i, s] of chosen.entries()) {
      const r = await rendering[i]
      const file = fileNameOf(s)
      writeFileSync(join(OUT_DIR, file), r.png)
      results.push({ file, r })
      const problems = problemsOf(r)
      log(`${problems.length ? '✗' : '✓'} ${file}  ${r.ms} ms${problems.length ? `\n    ${problems.join('\n    ')}` : ''}`)
    }
    writeIndex(results)
    const renderMs = Date.now() - t1
    return { results: results.map((x) => x.r), timings: { ...session.timings, renderMs, totalMs: Date.now() - t0 } }
  } finally {
    await session.close()
  }
}

/** README pictures stay small enough to commit: retina when that fits, else scale 1. */
export const README_MAX_BYTES = 150 * 1024

/** docs/screens/*.png for the README. */
export async function runReadme(log: (m: string) => void = () => undefined): Promise<string[]> {
  const session = await openSession(log)
  const written: string[] = []
  try {
    mkdirSync(README_DIR, { recursive: true })
    for (const shot of README_SHOTS) {
      // the first candidate page with the wanted state, else the first candidate page at all
      const matching = shot.candidates.flatMap((re) => session.scenarios.filter((s) => re.test(s.page)))
      const scenario = matching.find((s) => s.state === shot.state) ?? matching[0]
      if (!scenario) {
        log(`skipped ${shot.file}: no page matches ${shot.candidates.map(String).join(' or ')} yet`)
        continue
      }
      const route = scenario.page
      let r = await session.renderer.render(scenario, { deviceScaleFactor: 2 })
      if (r.png.length > README_MAX_BYTES) r = await session.renderer.render(scenario, { deviceScaleFactor: 1 })
      if (r.png.length > README_MAX_BYTES) log(`warning: ${shot.file} is ${Math.round(r.png.length / 1024)} KB even at scale 1`)
      writeFileSync(join(README_DIR, shot.file), r.png)
      written.push(shot.file)
      log(`docs/screens/${shot.file} ← ${route} (${scenario.state}), ${Math.round(r.png.length / 1024)} KB`)
    }
  } finally {
    await session.close()
  }
  return written
}
