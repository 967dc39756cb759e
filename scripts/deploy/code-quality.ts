/**
 * WeChat DevTools' 代码质量 scan (miniprogram-ci checkCodeQuality) on the mini program as DevTools
 * would upload it: TypeScript compiled, the repository's project.config.json settings (staged by
 * scripts/stage-miniprogram.ts). Offline. `tsx scripts/deploy/code-quality.ts` prints the items as
 * JSON and exits — the analyser leaves a file watcher open, so callers run it as a process.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { miniprogramNpmPacked, packMiniprogramNpm } from '../build'
import { stageMiniprogram, throwawayKey } from '../stage-miniprogram'

export interface QualityItem {
  name: string
  success: boolean
  text: string
  detail?: unknown
}

export async function codeQuality(): Promise<QualityItem[]> {
  if (!miniprogramNpmPacked()) await packMiniprogramNpm()
  const dir = mkdtempSync(join(tmpdir(), 'code-quality-'))
  try {
    const stage = join(dir, 'stage')
    await stageMiniprogram(stage)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ci = require('miniprogram-ci') as typeof import('miniprogram-ci')
    const project = new ci.Project({ appid: 'wx0000000000000000', type: 'miniProgram', projectPath: stage, privateKeyPath: throwawayKey(join(dir, 'key')), ignores: [] })
    return (await ci.checkCodeQuality(project)).map((i) => ({ name: String(i.name), success: Boolean(i.success), text: String(i.text), detail: i.detail as unknown }))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] && resolve(process.argv[1]) === __filename) {
  codeQuality()
    .then((items) => {
      process.stdout.write(`\n@@QUALITY@@${JSON.stringify(items)}\n`)
      process.exit(0)
    })
    .catch((e) => {
      console.error(e)
      process.exit(1)
    })
}
