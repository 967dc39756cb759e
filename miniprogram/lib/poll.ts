export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/**
 * Calls `fetch` until `done` says so or `timeoutMs` passes; answers the last value (or null if
 * every call failed). The first call is immediate. `wait` is injectable for tests.
 */
export async function pollUntil<T>(
  fetch: () => Promise<T>,
  done: (value: T) => boolean,
  opts: { timeoutMs: number; intervalMs: number; now?: () => number; wait?: (ms: number) => Promise<void> },
): Promise<T | null> {
  const now = opts.now ?? Date.now
  const wait = opts.wait ?? sleep
  const deadline = now() + opts.timeoutMs
  let last: T | null = null
  for (;;) {
    try {
      last = await fetch()
      if (done(last)) return last
    } catch {
      // a dropped call while waiting for the payment callback: try again
    }
    if (now() + opts.intervalMs > deadline) return last
    await wait(opts.intervalMs)
  }
}
