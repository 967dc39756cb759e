import fs from 'fs'
import path from 'path'

/**
 * A small JSON document persisted in the data folder (pay orders, the open-API outbox). Writes
 * are atomic (temp file + rename) and serialised, so a crash never leaves half a file.
 */
export class JsonFile<T> {
  private value: T
  private writing: Promise<void> = Promise.resolve()
  /** A write queued behind the one in flight; later changes join it instead of queueing more. */
  private queued: Promise<void> | null = null

  constructor(
    private readonly file: string,
    initial: () => T,
  ) {
    this.value = initial()
    if (fs.existsSync(file)) {
      try {
        this.value = JSON.parse(fs.readFileSync(file, 'utf8')) as T
      } catch {
        // A corrupt file is kept aside rather than silently overwritten.
        fs.renameSync(file, `${file}.corrupt-${Date.now()}`)
      }
    }
  }

  get data(): T {
    return this.value
  }

  /** Applies a change and schedules the write; resolves once it is on disk. */
  update(change: (value: T) => void): Promise<void> {
    change(this.value)
    if (!this.queued) {
      const write = (): Promise<void> => {
        this.queued = null
        return writeAtomic(this.file, JSON.stringify(this.value, null, 2))
      }
      this.queued = this.writing.then(write, write)
      this.writing = this.queued
    }
    return this.queued
  }

  flush(): Promise<void> {
    return this.writing
  }
}

async function writeAtomic(file: string, text: string): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  await fs.promises.writeFile(tmp, text)
  await fs.promises.rename(tmp, file)
}
