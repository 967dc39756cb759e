/**
 * Builds the globals every component test needs once: miniprogram-simulate defines Component/
 * Behavior/wx when first required; App-level globals that TDesign reads are added here. Pages
 * resolve npm components from miniprogram_npm, which `npm run build` produces.
 */
import 'miniprogram-simulate'

const g = globalThis as unknown as Record<string, unknown>
g.getApp = () => ({ globalData: {} })
g.getCurrentPages = () => []
