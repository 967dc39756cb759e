/**
 * WeChat DevTools' 代码质量 scan (miniprogram-ci checkCodeQuality, the same checks DevTools runs
 * before upload) on the mini program as DevTools would upload it (TypeScript compiled, the
 * repository's project.config.json settings), offline.
 */
import { execFile } from 'node:child_process'
import path from 'node:path'
import type { QualityItem } from '../../scripts/deploy/code-quality'

const ROOT = path.resolve(__dirname, '../..')

/** Runs the scan as its own process (scripts/deploy/code-quality.ts): the analyser leaves a watcher open. */
function runScan(): Promise<QualityItem[]> {
  return new Promise((resolve, reject) => {
    execFile(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'scripts', 'deploy', 'code-quality.ts')], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${err.message}\n${stderr}`))
      const line = stdout.split('\n').find((l) => l.startsWith('@@QUALITY@@'))
      if (!line) return reject(new Error(`no result in: ${stdout.slice(-2000)}`))
      resolve(JSON.parse(line.slice('@@QUALITY@@'.length)) as QualityItem[])
    })
  })
}

jest.setTimeout(240_000)

describe('DevTools code-quality scan', () => {
  let items: QualityItem[] = []
  beforeAll(async () => {
    items = await runScan()
  })

  it('runs the checks, compression among them', () => {
    expect(items.map((i) => i.name)).toEqual(expect.arrayContaining(['JS_COMPRESS_OPEN', 'WXML_COMPRESS_OPEN', 'WXSS_COMPRESS_OPEN', 'LAZYCODE_LOADING_OPEN', 'PACKAGE_SIZE_LIMIT']))
  })

  it('every item passes', () => {
    const failing = items.filter((i) => !i.success).map((i) => ({ name: i.name, text: i.text, detail: i.detail }))
    expect(failing).toEqual([])
  })

  it('keeps no JS in the main package that only subpackages require (CONTAINS_OTHER_PKG_JS; the staging moves it, scripts/relocate-subpackage-js.ts)', () => {
    expect(items.find((i) => i.name === 'CONTAINS_OTHER_PKG_JS')).toMatchObject({ success: true, detail: { files: [] } })
  })
})
