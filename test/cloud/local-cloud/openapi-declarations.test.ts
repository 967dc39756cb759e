/**
 * Every product function declares, in cloudfunctions/<fn>/config.json `permissions.openapi`,
 * exactly the open APIs its code calls, and the build copies the declaration next to the bundle.
 * On the cloud (and on the local cloud) an undeclared call fails with -604101 at run time; this
 * finds it before. The scan (scripts/deploy/openapi-scan.ts, which the deploy doctor runs too)
 * reads each built bundle, where every use must be a literal `openapi.<ns>.<api>(`.
 */
import fs from 'fs'
import path from 'path'
import { listFunctions } from '../../../scripts/build'
import { declaredOpenApi, scanOpenApi } from '../../../scripts/deploy/openapi-scan'

const ROOT = path.resolve(__dirname, '..', '..', '..')
const DIST = path.join(ROOT, 'dist', 'cloudfunctions')

const scan = scanOpenApi
const declared = declaredOpenApi

describe('open API declarations of the product functions', () => {
  const functions = listFunctions()

  it('finds the built functions', () => {
    expect(functions.length).toBeGreaterThan(0)
    for (const fn of functions) expect(fs.existsSync(path.join(DIST, fn, 'index.js'))).toBe(true)
  })

  it.each(listFunctions())('%s declares exactly the open APIs it calls, and the build copies the declaration', (fn) => {
    const { used, opaque } = scan(fs.readFileSync(path.join(DIST, fn, 'index.js'), 'utf8'))
    expect({ fn, opaque }).toEqual({ fn, opaque: [] })
    const source = declared(path.join(ROOT, 'cloudfunctions', fn, 'config.json'))
    expect({ fn, declared: source }).toEqual({ fn, declared: used })
    expect(declared(path.join(DIST, fn, 'config.json'))).toEqual(source)
  })

  it('the scan sees real uses and flags ones it cannot read', () => {
    // The member function binds phones through the open API: the scan must find it.
    expect(scan(fs.readFileSync(path.join(DIST, 'member', 'index.js'), 'utf8')).used).toContain('phonenumber.getPhoneNumber')
    expect(scan('const r = await ctx.cloud.openapi.subscribeMessage.send({ touser })')).toEqual({ used: ['subscribeMessage.send'], opaque: [] })
    expect(scan('const api = cloud.openapi; api.wxacode.getUnlimited({})').opaque).toHaveLength(1)
    expect(scan('cloud.openapi[ns][name]({})').opaque).toHaveLength(1)
  })
})
