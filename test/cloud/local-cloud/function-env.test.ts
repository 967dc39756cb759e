/**
 * Each function sees only the environment variables configured for it (as in the console), plus
 * the runtime's own; nothing of the server's environment, nothing of another function's.
 */
import fs from 'fs'
import os from 'os'
import path from 'path'
import { FunctionEnvError, mergeFunctionEnv, parseEnvFlags, readFunctionEnvFile, validateFunctionEnv } from '../../../local-cloud/src/function-env'
import { post, startTestCloud, type TestCloud } from './helpers'

let t: TestCloud

beforeAll(async () => {
  process.env.SERVER_ONLY_SECRET = 'must-not-leak'
  t = await startTestCloud({
    functionEnv: {
      'env-a': { SECRET_A: 'a-value', SHARED_NAME: 'from-a', WITH_SYMBOLS: 'x=y:z 中文' },
      'env-b': { SHARED_NAME: 'from-b' },
    },
  })
})
afterAll(async () => {
  delete process.env.SERVER_ONLY_SECRET
  await t.stop()
})

const envOf = async (fn: string): Promise<Record<string, string>> => (await post(`${t.cloud.url}/functions/${fn}`, {}, { 'X-WX-OPENID': 'o-env' })).body.env

describe('per-function environment variables', () => {
  it('gives each function its own variables only, also under concurrency', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => envOf(i % 2 ? 'env-b' : 'env-a')))
    answers.forEach((env, i) => {
      if (i % 2) expect(env).toEqual({ SHARED_NAME: 'from-b' })
      else expect(env).toEqual({ SECRET_A: 'a-value', SHARED_NAME: 'from-a', WITH_SYMBOLS: 'x=y:z 中文' })
    })
  })

  it("keeps the server's own environment from every function", async () => {
    for (const fn of ['env-a', 'env-b']) expect(await envOf(fn)).not.toHaveProperty('SERVER_ONLY_SECRET')
    const echo = (await post(`${t.cloud.url}/functions/echo`, {}, { 'X-WX-OPENID': 'o-env' })).body
    expect(echo.wx).toMatchObject({ OPENID: 'o-env', ENV: 'local' }) // the runtime's variables still work
  })

  it('refuses variables that would shadow the runtime, bad names and non-string values, before starting', async () => {
    for (const bad of [{ 'env-a': { TCB_ENV: 'x' } }, { 'env-a': { WX_OPENID: 'x' } }, { 'env-a': { LOCAL_CLOUD_RUNTIME: '1' } }, { 'env-a': { 'BAD-NAME': 'x' } }, { 'env-a': { N: 1 } }, { '../x': { A: 'b' } }]) {
      await expect(startTestCloud({ functionEnv: bad as never })).rejects.toBeInstanceOf(FunctionEnvError)
    }
  })

  it("enforces the cloud's 4 KB per function", () => {
    expect(() => validateFunctionEnv({ admin: { BIG: 'x'.repeat(4096) } }, 'test')).toThrow(/4KB/)
    expect(validateFunctionEnv({ admin: { OK: 'x'.repeat(4000) } }, 'test').admin.OK).toHaveLength(4000)
  })
})

describe('where the variables come from (npm start)', () => {
  it('parses --env <function>:<NAME>=<value> flags, values may hold = and :', () => {
    expect(parseEnvFlags(['admin:OWNER_SETUP_KEY=abc=def:1', 'member:WXPAY_SUB_MCH_ID=1900000109', 'admin:EMPTY='])).toEqual({
      admin: { OWNER_SETUP_KEY: 'abc=def:1', EMPTY: '' },
      member: { WXPAY_SUB_MCH_ID: '1900000109' },
    })
    for (const bad of ['OWNER_SETUP_KEY=abc', 'admin:=x', 'admin:KEY', ':KEY=x']) expect(() => parseEnvFlags([bad])).toThrow(FunctionEnvError)
  })

  it('reads the JSON file (missing = none) and lets flags win per variable', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fn-env-'))
    try {
      const file = path.join(dir, '.local-cloud-env.json')
      expect(readFunctionEnvFile(file)).toEqual({})
      fs.writeFileSync(file, JSON.stringify({ admin: { OWNER_SETUP_KEY: 'from-file', OTHER: 'kept' } }))
      const merged = mergeFunctionEnv(readFunctionEnvFile(file), parseEnvFlags(['admin:OWNER_SETUP_KEY=from-flag']))
      expect(merged).toEqual({ admin: { OWNER_SETUP_KEY: 'from-flag', OTHER: 'kept' } })
      fs.writeFileSync(file, '{ not json')
      expect(() => readFunctionEnvFile(file)).toThrow(FunctionEnvError)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
