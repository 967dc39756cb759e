/**
 * `npm start`: builds the cloud functions, starts the local cloud on 127.0.0.1, seeds a demo
 * merchant on first start, and prints what to do next.
 *
 *   npm start -- [--port 8787] [--reset] [--data-dir .local-cloud-data] [--no-timers]
 *                 [--env <function>:<NAME>=<value>]… [--env-file .local-cloud-env.json] [--allow-origin <origin>]…
 *   env: PORT, LOCAL_CLOUD_DATA_DIR
 *
 * Each function gets only its own environment variables, as in the console: from the env file
 * (default `.local-cloud-env.json` next to the data folder, `{ "admin": { "OWNER_SETUP_KEY": "…" } }`)
 * and the --env flags, which win. The server's own environment does not reach the functions.
 */
import path from 'path'
import { parseArgs } from 'util'
import { COLLECTIONS } from '../cloudfunctions/shared/collections'
import { schema } from '../database/schema'
import { seedDemo } from '../database/demo-seed'
import { buildFunctions, FUNCTIONS_OUT_DIR, miniprogramNpmPacked, packMiniprogramNpm } from './build'
import { startLocalCloud } from '../local-cloud/src/server'
import { DEFAULT_PORT, LOCAL_ENV_ID } from '../local-cloud/src/options'
import { DEFAULT_RISKY_WORD } from '../local-cloud/src/openapi'
import { mergeFunctionEnv, parseEnvFlags, readFunctionEnvFile, type FunctionEnv } from '../local-cloud/src/function-env'
import { createPreview } from '../preview/server'

const ROOT = path.resolve(__dirname, '..')
const FUNCTIONS_DIR = FUNCTIONS_OUT_DIR

interface StartArgs {
  port: number
  reset: boolean
  dataDir: string
  timers: boolean
  envFile: string
  functionEnv: FunctionEnv
  allowOrigins: string[]
}

const USAGE =
  'usage: npm start -- [--port 8787] [--reset] [--data-dir .local-cloud-data] [--no-timers]\n' +
  '                    [--env <function>:<NAME>=<value>]… [--env-file <file>] [--allow-origin <origin>]…'

function readArgs(): StartArgs {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      reset: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      'no-timers': { type: 'boolean', default: false },
      env: { type: 'string', multiple: true, default: [] },
      'env-file': { type: 'string' },
      'allow-origin': { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  })
  if (values.help) {
    console.log(USAGE)
    process.exit(0)
  }
  const portText = values.port ?? process.env.PORT ?? String(DEFAULT_PORT)
  const port = Number(portText)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${portText}`)
  const dataDir = path.resolve(ROOT, values['data-dir'] ?? process.env.LOCAL_CLOUD_DATA_DIR ?? '.local-cloud-data')
  // Next to the data folder, not in it: --reset empties the data, not the configuration.
  const envFile = values['env-file'] ? path.resolve(ROOT, values['env-file']) : path.join(path.dirname(dataDir), '.local-cloud-env.json')
  const functionEnv = mergeFunctionEnv(readFunctionEnvFile(envFile), parseEnvFlags(values.env ?? []))
  return {
    port,
    reset: values.reset === true,
    dataDir,
    timers: values['no-timers'] !== true,
    envFile,
    functionEnv,
    allowOrigins: values['allow-origin'] ?? [],
  }
}

async function main(): Promise<void> {
  const args = readArgs()

  const built = await buildFunctions({ outDir: FUNCTIONS_DIR })
  console.log(`built ${built.length} function(s) into ${path.relative(ROOT, FUNCTIONS_DIR)}/`)
  // A fresh clone has no miniprogram_npm until a build: the preview's pages need TDesign from it.
  if (!miniprogramNpmPacked()) {
    const { packed } = await packMiniprogramNpm()
    console.log(`packed ${packed} npm package(s) into miniprogram/miniprogram_npm/ for the preview`)
  }

  // the mini program in a browser, on the same server (built while the cloud starts)
  const preview = createPreview({ log: (m) => console.warn(m) })
  const cloud = await startLocalCloud({
    fallback: preview.handle.bind(preview),
    port: args.port,
    dataDir: args.dataDir,
    functionsDir: FUNCTIONS_DIR,
    schema,
    reset: args.reset,
    timers: args.timers,
    functionEnv: args.functionEnv,
    allowOrigins: args.allowOrigins,
  })

  let shuttingDown = false
  const shutdown = (signal: string): void => {
    if (shuttingDown) return
    shuttingDown = true
    console.log(`\n${signal}: closing the local cloud…`)
    cloud.close().then(
      () => process.exit(0),
      (err: Error) => {
        console.error(err)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))

  let seedLines: string[] = []
  const merchants = cloud.engine.stats().collections[COLLECTIONS.merchant] ?? 0
  if (merchants === 0) {
    seedLines = await seedDemo({ baseUrl: cloud.url, invoke: cloud.invoke.bind(cloud) })
  } else {
    seedLines = [
      'Kept the existing data (npm start -- --reset starts clean and seeds the demo merchant again).',
      '  demo identities: demo-consumer-openid (member), demo-owner-openid, demo-hq-openid, demo-manager-openid, demo-clerk-openid',
    ]
  }
  // without the preview (a build error) the cloud still serves; say why
  await preview.ready.catch((err: Error) => console.error(`preview unavailable: ${err.stack ?? err.message}`))
  console.log(banner(cloud.url, args, seedLines))
}

function banner(url: string, args: StartArgs, seedLines: string[]): string {
  const tcb = `${url}/tcb`
  return `
 打开 ${url}/ 在浏览器里使用小程序 (open it in a browser: the mini program, as any identity)
────────────────────────────────────────────────────────────────────────
 Local cloud running at ${url}   (env "${LOCAL_ENV_ID}", loopback only)
 data: ${path.relative(ROOT, args.dataDir) || args.dataDir}   timers: ${args.timers ? 'on' : 'off'}
 function env: ${envSummary(args)}
 browsers: only pages served from ${url} (or http://localhost:${new URL(url).port})${args.allowOrigins.length ? ` and ${args.allowOrigins.join(', ')}` : ''}; /tcb: Node clients only
────────────────────────────────────────────────────────────────────────
Use it from Node with the unmodified wx-server-sdk:

  const cloud = require('wx-server-sdk')
  cloud.init({ env: '${LOCAL_ENV_ID}', serviceUrl: '${tcb}', secretId: 'local', secretKey: 'local' })

or, without changing init, with these environment variables:

  TCB_CONTEXT_CNFG='{"URL":"${tcb}"}' TENCENTCLOUD_SECRETID=local TENCENTCLOUD_SECRETKEY=local \\
  TENCENTCLOUD=true SILENCE=true TCB_ENV=${LOCAL_ENV_ID} TCB_CONTEXT_KEYS=TCB_ENV node your-script.js
  (then cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV }); TENCENTCLOUD=true skips metadata look-ups)

Call a function as a user (SOURCE wx_client):

  curl -s -X POST ${url}/functions/<name> -H 'X-WX-OPENID: o-demo-user' \\
       -H 'Content-Type: application/json' -d '{"action":"…"}'

Simulate WeChat Pay ("the user paid" → the callback function), timers and the outbox:

  curl -s ${url}/pay/orders                                  # orders placed by cloudPay.unifiedOrder
  curl -s -X POST ${url}/pay/orders/<outTradeNo>/pay         # pay + deliver the callback
  curl -s -X POST ${url}/pay/orders/<outTradeNo>/pay -d '{"times":3,"concurrent":true}'
  curl -s -X POST ${url}/pay/refunds/<outRefundNo>/succeed   # deliver a refund callback again
  curl -s ${url}/timers                                      # timer triggers and next runs
  curl -s -X POST ${url}/timers/<function>/<trigger>         # run a timer now
  curl -s ${url}/openapi/outbox                              # subscription messages "sent"
  (security.msgSecCheck flags content containing "${DEFAULT_RISKY_WORD}")
${seedLines.length ? `\n${seedLines.join('\n')}\n` : ''}
Ctrl-C to stop.`
}

/** Which functions have variables (names only: values may be secrets). */
function envSummary(args: StartArgs): string {
  const parts = Object.entries(args.functionEnv)
    .filter(([, vars]) => Object.keys(vars).length > 0)
    .map(([fn, vars]) => `${fn}: ${Object.keys(vars).join(', ')}`)
  const file = path.relative(ROOT, args.envFile) || args.envFile
  return parts.length ? `${parts.join('; ')}   (from ${file} and --env)` : `none (set them in ${file} or with --env <function>:<NAME>=<value>)`
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message)
  process.exit(1)
})
