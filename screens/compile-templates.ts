/**
 * WXML → JS with WeChat's own template compiler (`wcc` from miniprogram-compiler): it handles
 * <wxs>, <import>, <include> and <template is> the way the runtime does. The output defines
 * `$gwx(path)` → a function from data to a virtual tree, which j-component renders.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, posix, relative } from 'node:path'
import type { ComponentNode } from './project'

function wccPath(): string {
  const bin = process.platform === 'darwin' ? 'mac/wcc' : process.platform === 'win32' ? 'windows/wcc.exe' : 'linux/wcc'
  const file = join(createRequire(__filename).resolve('miniprogram-compiler/package.json'), '..', 'bin', bin)
  try {
    chmodSync(file, 0o755)
  } catch {
    // read-only install: it may already be executable
  }
  return file
}

/** Files under `root` with extension `ext`, relative and with forward slashes, sorted. */
export function listFiles(root: string, ext: string): string[] {
  const out: string[] = []
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name.startsWith('.')) continue
      const full = join(dir, name)
      if (statSync(full).isDirectory()) walk(full)
      else if (name.endsWith(ext)) out.push(relative(root, full).split('\\').join('/'))
    }
  }
  walk(root)
  return out.sort()
}

/** The components' templates plus every template they <import> or <include>, transitively. */
export function templatesOf(root: string, components: ComponentNode[]): string[] {
  const out = new Set<string>()
  const visit = (file: string): void => {
    if (out.has(file) || !existsSync(join(root, file))) return
    out.add(file)
    const text = readFileSync(join(root, file), 'utf8')
    for (const m of text.matchAll(/<(?:import|include)\s[^>]*src\s*=\s*["']([^"']+)["']/g)) {
      const spec = m[1].endsWith('.wxml') ? m[1] : `${m[1]}.wxml`
      visit(spec.startsWith('/') ? spec.slice(1) : posix.normalize(posix.join(posix.dirname(file), spec)))
    }
  }
  for (const c of components) visit(`${c.path}.wxml`)
  return [...out].sort()
}

/**
 * Compiles the components' templates (with what they import) and every .wxs under `root`, and
 * answers the JS source that defines `$gwx`.
 */
export function compileTemplates(root: string, components: ComponentNode[]): string {
  const wxml = templatesOf(root, components)
  const wxs = listFiles(root, '.wxs')
  // wcc's custom-component argument: count, then per file: path, n, tag names
  const withUsing = components.filter((c) => Object.keys(c.using).length > 0)
  const componentArg = [String(withUsing.length)]
  for (const c of withUsing) componentArg.push(`${c.path}.wxml`, String(Object.keys(c.using).length), ...Object.keys(c.using))
  const args = ['-d', '-cc', componentArg.join(' '), ...wxml, ...wxs, '-gn', '$gwx']
  const res = spawnSync(wccPath(), args, { cwd: root, maxBuffer: 64 * 1024 * 1024 })
  if (res.error) throw res.error
  if (res.status !== 0) throw new Error(`wcc failed (${res.status}): ${res.stderr.toString()}`)
  return res.stdout.toString()
}
