/**
 * Server output. Function output is prefixed with the function's name (`[member] …`) so several
 * functions' logs stay readable in one terminal; `quiet` keeps test output clean.
 */
export interface Logger {
  info(message: string): void
  warn(message: string): void
  error(message: string): void
  /** One line written by a function (stdout or stderr). */
  fn(name: string, line: string, stream: 'stdout' | 'stderr'): void
}

export function createLogger(quiet: boolean): Logger {
  if (quiet) {
    return { info: noop, warn: noop, error: noop, fn: noop }
  }
  return {
    info: (m) => process.stdout.write(`[local-cloud] ${m}\n`),
    warn: (m) => process.stderr.write(`[local-cloud] WARN ${m}\n`),
    error: (m) => process.stderr.write(`[local-cloud] ERROR ${m}\n`),
    fn: (name, line, stream) => (stream === 'stderr' ? process.stderr : process.stdout).write(`[${name}] ${line}\n`),
  }
}

function noop(): void {
  // quiet mode drops output
}
