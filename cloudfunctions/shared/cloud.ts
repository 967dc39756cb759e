import * as cloud from 'wx-server-sdk'

/**
 * One initialised SDK per function instance. The same call works on the real cloud and on the
 * local cloud: there the runner provides the service URL and dummy secrets through the
 * environment (TCB_CONTEXT_CNFG, TENCENTCLOUD_SECRETID/KEY), exactly where the SDK reads them.
 */
let initialised = false

export function getCloud(): typeof cloud {
  if (!initialised) {
    // throwOnNotFound:false makes doc(id).get() of a missing document answer { data: null }
    // (both typed in typings/wx-server-sdk-openapi.d.ts).
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV, throwOnNotFound: false })
    initialised = true
  }
  return cloud
}

export type Database = ReturnType<typeof cloud.database>

