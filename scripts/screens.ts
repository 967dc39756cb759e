/**
 * npm run screens: a PNG of every page of the mini program, in each state listed in
 * screens/scenarios.ts, rendered by headless Chromium against the local cloud with the demo
 * merchant → screens/out/ (open screens/out/index.html).
 *   npm run screens -- --only home     pages whose route contains "home"
 *   npm run screens -- --full          whole page height instead of the phone's screen
 *   npm run screens -- --readme        the README pictures → docs/screens/
 */
import { runAll, runReadme, problemsOf } from '../screens/run'

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const log = (m: string): void => console.log(m)
  if (args.includes('--readme')) {
    await runReadme(log)
    return
  }
  const onlyAt = args.indexOf('--only')
  const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined
  const { results, timings } = await runAll({ only, fullPage: args.includes('--full'), log })
  const failed = results.filter((r) => problemsOf(r).length > 0)
  console.log(
    `\n${results.length} screenshots → screens/out/ (index.html) in ${(timings.totalMs / 1000).toFixed(1)} s ` +
      `(build ${timings.buildMs} ms, local cloud ${timings.cloudMs} ms, browser ${timings.browserMs} ms, rendering ${timings.renderMs} ms)`,
  )
  if (failed.length) {
    console.log(`${failed.length} with problems (see above)`)
    process.exitCode = 1
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e)
  process.exit(1)
})
