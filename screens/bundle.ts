/**
 * One browser bundle for every page: the runtime (j-component, miniprogram-exparser, the wx
 * shim, built-ins) plus each component's script as a lazily run module. TypeScript pages and
 * TDesign's ES modules go through esbuild; bare imports in the mini program resolve from
 * miniprogram_npm like WeChat's "构建 npm" output does. A few lines of j-component are patched
 * (each patch fails loudly if its target text is gone).
 */
import { build, type Plugin } from 'esbuild'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { MP_ROOT, ROOT, type ComponentNode } from './project'
import { VIEWPORT_WIDTH } from './compile-wxss'

const BROWSER_DIR = join(__dirname, 'browser')

interface Patch {
  file: RegExp
  from: string
  to: string
}

const J_COMPONENT_PATCHES: Patch[] = [
  {
    // honour styleIsolation apply-shared / addGlobalClass (raw class names kept next to prefixed ones)
    file: /j-component[\\/]src[\\/]componentmanager\.js$/,
    from: 'addGlobalClass: false,',
    to: 'addGlobalClass: !!options.addGlobalClass,',
  },
  {
    // `class` on a virtual-host component is its external class, not a DOM class
    file: /j-component[\\/]src[\\/]render[\\/]render\.js$/,
    from: "(isComponentNode && name === 'class')",
    to: "(isComponentNode && name === 'class' && !(exparserNode.__virtual && exparserNode.hasExternalClass('class')))",
  },
  {
    // 750 rpx = the viewport width (j-component maps 1 rpx to 1 px)
    file: /j-component[\\/]src[\\/]tool[\\/]utils\.js$/,
    from: "return style.replace(/(\\d+)rpx/ig, '$1px')",
    to: `return style.replace(/(\\d*\\.?\\d+)rpx/ig, (m, n) => (Math.round(n * ${VIEWPORT_WIDTH / 750} * 1000) / 1000) + 'px')`,
  },
  {
    // fields({ node: true }) answers the real element behind <canvas type="2d">
    file: /j-component[\\/]src[\\/]tool[\\/]selectorquery\.js$/,
    from: 'if (fields.context) {',
    to: "if (fields.node) { itemRes.node = node.$$ ? (node.$$.querySelector('canvas.screens-canvas') || node.$$) : null }\n            if (fields.context) {",
  },
  {
    // virtual hosts have no element: measure nothing rather than throw
    file: /j-component[\\/]src[\\/]tool[\\/]selectorquery\.js$/,
    from: 'const rect = node.$$.getBoundingClientRect()',
    to: 'const rect = node.$$ ? node.$$.getBoundingClientRect() : { left: 0, right: 0, top: 0, bottom: 0, width: 0, height: 0 }',
  },
]

function patchPlugin(): Plugin {
  return {
    name: 'screens-patch-j-component',
    setup(b) {
      b.onLoad({ filter: /j-component[\\/]src[\\/].*\.js$/ }, (args) => {
        let text = readFileSync(args.path, 'utf8')
        for (const p of J_COMPONENT_PATCHES.filter((x) => x.file.test(args.path))) {
          if (!text.includes(p.from)) throw new Error(`screens: j-component changed, cannot patch ${args.path}: ${p.from}`)
          text = text.split(p.from).join(p.to)
        }
        return { contents: text, loader: 'js' }
      })
    },
  }
}

/** Bare imports from mini-program code resolve in the nearest miniprogram_npm, as in WeChat. */
function miniprogramNpmPlugin(): Plugin {
  return {
    name: 'screens-miniprogram-npm',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (!args.importer.startsWith(MP_ROOT)) return undefined
        const [scope, ...rest] = args.path.split('/')
        const pkg = scope.startsWith('@') ? `${scope}/${rest.shift() ?? ''}` : scope
        const sub = rest.join('/')
        for (let dir = dirname(args.importer); dir.startsWith(MP_ROOT); dir = dirname(dir)) {
          const base = join(dir, 'miniprogram_npm', pkg)
          if (!existsSync(base)) continue
          for (const candidate of sub ? [`${join(base, sub)}.js`, join(base, sub, 'index.js'), join(base, sub)] : [join(base, 'index.js')]) {
            if (existsSync(candidate) && candidate.endsWith('.js')) return { path: candidate }
          }
        }
        return undefined
      })
    },
  }
}

function entrySource(components: ComponentNode[]): string {
  const rel = (file: string): string => JSON.stringify(`./${relative(ROOT, file).split('\\').join('/')}`)
  const lines = [
    `import { defineModule, defineApp, start } from ${rel(join(BROWSER_DIR, 'runtime.ts'))}`,
  ]
  const app = ['app.ts', 'app.js'].map((f) => join(MP_ROOT, f)).find((f) => existsSync(f))
  if (app) lines.push(`defineApp(() => require(${rel(app)}))`)
  for (const c of components) lines.push(`defineModule(${JSON.stringify(c.path)}, () => require(${rel(c.script)}))`)
  lines.push('start()')
  return lines.join('\n')
}

export async function bundleRuntime(components: ComponentNode[]): Promise<string> {
  const result = await build({
    stdin: { contents: entrySource(components), resolveDir: ROOT, sourcefile: 'screens-entry.ts', loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    define: { global: 'globalThis' },
    logLevel: 'silent',
    plugins: [patchPlugin(), miniprogramNpmPlugin()],
  })
  if (result.errors.length) throw new Error(result.errors.map((e) => e.text).join('\n'))
  return result.outputFiles[0].text
}
