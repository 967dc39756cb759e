/**
 * A copy of the mini program as DevTools would upload it: each .ts compiled to .js (what the
 * TypeScript compiler plugin does), optionally with the cloud config replaced for a deployment.
 */
import { transform } from 'esbuild'
import { generateKeyPairSync } from 'node:crypto'
import { cpSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './build'
import type { CloudConfig } from '../miniprogram/config'
import { relocateSubpackageOnlyJs } from './relocate-subpackage-js'

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? walk(p) : [p]
  })
}

export async function stageMiniprogram(stageDir: string, opts: { appid?: string; cloudConfig?: CloudConfig } = {}): Promise<string> {
  rmSync(stageDir, { recursive: true, force: true })
  const mp = join(stageDir, 'miniprogram')
  cpSync(join(ROOT, 'miniprogram'), mp, { recursive: true })
  if (opts.cloudConfig) {
    writeFileSync(join(mp, 'config.ts'), `export const cloudConfig = ${JSON.stringify(opts.cloudConfig, null, 2)}\n`)
  }
  for (const file of walk(mp)) {
    if (!file.endsWith('.ts') || file.endsWith('.d.ts') || file.includes('miniprogram_npm')) continue
    const out = await transform(readFileSync(file, 'utf8'), { loader: 'ts', format: 'cjs', target: 'es2017', minify: true })
    writeFileSync(file.replace(/\.ts$/, '.js'), out.code)
    rmSync(file)
  }
  // what only subpackages require goes into them (DevTools' CONTAINS_OTHER_PKG_JS; relocate-subpackage-js.ts)
  const app = JSON.parse(readFileSync(join(mp, 'app.json'), 'utf8')) as { subPackages?: { root: string }[]; subpackages?: { root: string }[] }
  relocateSubpackageOnlyJs(mp, (app.subPackages ?? app.subpackages ?? []).map((s) => s.root))
  // The repository's settings as DevTools reads them (code-quality scan included); TypeScript is
  // already compiled here, so the compiler plugin is not carried over.
  const repoSetting = (JSON.parse(readFileSync(join(ROOT, 'project.config.json'), 'utf8')) as { setting?: Record<string, unknown> }).setting ?? {}
  const { useCompilerPlugins: _plugins, packNpmRelationList: _npm, ...setting } = repoSetting
  void _plugins
  void _npm
  writeFileSync(
    join(stageDir, 'project.config.json'),
    JSON.stringify({ miniprogramRoot: 'miniprogram/', compileType: 'miniprogram', appid: opts.appid ?? 'wx0000000000000000', setting: { ...setting, ignoreUploadUnusedFiles: true, es6: true, minified: true } }),
  )
  return mp
}

/** miniprogram-ci insists on a key even for offline analysis; a throwaway one will do there. */
export function throwawayKey(path: string): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
  writeFileSync(path, privateKey.export({ type: 'pkcs1', format: 'pem' }))
  return path
}
