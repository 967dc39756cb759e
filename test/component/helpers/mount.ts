import path from 'node:path'
import simulate from 'miniprogram-simulate'

export const MINIPROGRAM_ROOT = path.resolve(__dirname, '../../../miniprogram')

/** Maps TDesign component paths in usingComponents to the packed copies in miniprogram_npm. */
function tdesignComponents(componentPath: string): Record<string, string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const json = require(`${componentPath}.json`) as { usingComponents?: Record<string, string> }
  const out: Record<string, string> = {}
  for (const [tag, target] of Object.entries(json.usingComponents ?? {})) {
    if (target.startsWith('tdesign-miniprogram/')) out[tag] = `/miniprogram_npm/${target}`
  }
  return out
}

const loaded = new Map<string, string>()
const WCC_MAX_BUFFER = 64 * 1024 * 1024

/** Loads a page or component (written with Component()) and attaches it to a parent node. */
export function mount(relativePath: string, props: Record<string, unknown> = {}) {
  const componentPath = path.join(MINIPROGRAM_ROOT, relativePath)
  // A page's module runs once per test file (jest keeps required modules), so load once too.
  let id = loaded.get(componentPath)
  if (!id) {
    // wcc compiles every .wxml of the mini program at once and miniprogram-compiler reads its
    // output through spawnSync's 1 MB default buffer, which the app's templates now exceed (ENOBUFS).
    id = simulate.load(componentPath, { rootPath: MINIPROGRAM_ROOT, usingComponents: tdesignComponents(componentPath), compilerOptions: { maxBuffer: WCC_MAX_BUFFER } })
    loaded.set(componentPath, id)
  }
  const comp = simulate.render(id, props)
  comp.attach(document.createElement('parent-wrapper'))
  return comp
}

/** Lets pending promises and setData settle. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((r) => setTimeout(r, 0))
}

export { simulate }
