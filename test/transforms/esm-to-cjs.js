/**
 * Jest transform for the packed mini-program npm code (TDesign ships ES modules, which DevTools
 * compiles itself): esbuild turns it into CommonJS for jsdom component tests.
 */
const { transformSync } = require('esbuild')

module.exports = {
  process(source, filename) {
    const out = transformSync(source, { loader: 'js', format: 'cjs', target: 'es2019', sourcefile: filename })
    return { code: out.code }
  },
}
