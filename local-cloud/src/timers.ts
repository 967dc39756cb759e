import { parseCron, nextFire, type CronSchedule } from './cron'
import type { FunctionDef } from './function-registry'
import type { Logger } from './logger'

export interface TimerDef {
  functionName: string
  triggerName: string
  cron: string
  schedule: CronSchedule
}

/** setTimeout cannot wait longer than this; longer waits are re-armed. */
const MAX_DELAY_MS = 2 ** 31 - 1

/** Timer triggers read from each function's config.json, run on schedule when enabled. */
export class TimerScheduler {
  readonly timers: TimerDef[] = []
  private readonly handles = new Map<TimerDef, NodeJS.Timeout>()
  private stopped = false

  constructor(
    functions: Iterable<FunctionDef>,
    private readonly fire: (timer: TimerDef, time: Date) => Promise<unknown>,
    private readonly logger: Logger,
  ) {
    for (const fn of functions) {
      for (const trigger of fn.triggers) {
        if (trigger.type !== 'timer') continue
        try {
          this.timers.push({ functionName: fn.name, triggerName: trigger.name, cron: trigger.config, schedule: parseCron(trigger.config) })
        } catch (err) {
          logger.warn(`${fn.name}/${trigger.name}: ${(err as Error).message}; trigger ignored`)
        }
      }
    }
  }

  find(functionName: string, triggerName: string): TimerDef | undefined {
    return this.timers.find((t) => t.functionName === functionName && t.triggerName === triggerName)
  }

  start(): void {
    for (const timer of this.timers) this.arm(timer, Date.now())
  }

  stop(): void {
    this.stopped = true
    for (const handle of this.handles.values()) clearTimeout(handle)
    this.handles.clear()
  }

  /** The timer event the cloud passes: `{ Type, TriggerName, Time, Message }`. */
  static event(triggerName: string, time: Date): Record<string, string> {
    return { Type: 'Timer', TriggerName: triggerName, Time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'), Message: '' }
  }

  private arm(timer: TimerDef, after: number): void {
    if (this.stopped) return
    const at = nextFire(timer.schedule, after)
    if (at === null) return
    const handle = setTimeout(() => {
      if (Date.now() < at) {
        this.arm(timer, after) // woke early after a capped wait
        return
      }
      this.fire(timer, new Date(at)).catch((err: Error) => this.logger.warn(`timer ${timer.functionName}/${timer.triggerName}: ${err.message}`))
      this.arm(timer, at)
    }, Math.min(Math.max(at - Date.now(), 0), MAX_DELAY_MS))
    handle.unref()
    this.handles.set(timer, handle)
  }
}
