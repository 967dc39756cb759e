import { createHash } from 'crypto'
import * as fs from 'fs'
import * as path from 'path'
import type { Doc } from './ejson'
import { decodeStored, encodeStored } from './ejson'
import { idKey } from './documents'
import type { WriteOp } from './collection-store'

/**
 * Durable state in `dataDir`:
 *  - `snapshot.jsonl`: a header line, then `{"c":name,"d":[docs…]}` chunks. Written to a temp
 *    name and renamed, so it is always whole.
 *  - `log.jsonl`: one line per committed batch, `<hash>\t<json>`, appended with one write
 *    each. A line whose hash does not match (torn by a kill mid-write) ends the replay and is
 *    cut off, so no partial batch is ever read back. Each line carries a sequence number and the
 *    snapshot records the last one it contains, so a crash between writing the snapshot and
 *    emptying the log replays nothing twice.
 * No fsync: this is a development tool; a killed process loses nothing the OS accepted.
 */

const SNAPSHOT = 'snapshot.jsonl'
const LOG = 'log.jsonl'
const FORMAT = 'local-cloud-db'
const CHUNK = 5000
/** Compact once the log is this big and bigger than the snapshot (keeps writes O(batch)). */
const COMPACT_MIN_BYTES = 16 * 1024 * 1024

type LoggedOp =
  | { t: 'put'; c: string; d: unknown }
  | { t: 'del'; c: string; i: unknown }
  | { t: 'coll'; c: string }

interface LogLine {
  s: number
  o: LoggedOp[]
}

interface SnapshotHeader {
  format: string
  version: number
  seq: number
  collections: string[]
}

export interface LoadedState {
  /** Collection name → documents in natural order. */
  collections: Map<string, Map<string, Doc>>
  /** Log lines dropped because they were torn or corrupt. */
  droppedLogBytes: number
}

function hashOf(payload: string): string {
  return createHash('md5').update(payload).digest('hex').slice(0, 12)
}

export class Persistence {
  private logFd: number
  private seq = 0
  private logBytes = 0
  private snapshotBytes = 0

  private constructor(
    readonly dir: string,
    logFd: number,
  ) {
    this.logFd = logFd
  }

  /** Opens (or wipes, with reset) the folder and reads the state back. */
  static open(dir: string, reset: boolean): { persistence: Persistence; state: LoadedState } {
    if (reset) fs.rmSync(dir, { recursive: true, force: true })
    fs.mkdirSync(dir, { recursive: true })
    fs.rmSync(path.join(dir, SNAPSHOT + '.tmp'), { force: true })
    const collections = new Map<string, Map<string, Doc>>()
    const snapshotSeq = readSnapshot(path.join(dir, SNAPSHOT), collections)
    const logPath = path.join(dir, LOG)
    const replay = replayLog(logPath, snapshotSeq, collections)
    if (replay.droppedBytes > 0) fs.truncateSync(logPath, replay.goodBytes) // cut a torn tail
    const p = new Persistence(dir, fs.openSync(logPath, 'a'))
    p.seq = Math.max(snapshotSeq, replay.lastSeq)
    p.logBytes = replay.goodBytes
    p.snapshotBytes = fileSize(path.join(dir, SNAPSHOT))
    return { persistence: p, state: { collections, droppedLogBytes: replay.droppedBytes } }
  }

  /** Appends one batch as one line with one write call. */
  append(ops: WriteOp[]): void {
    const line: LogLine = { s: this.seq + 1, o: ops.map(toLogged) }
    const payload = JSON.stringify(line)
    const buf = Buffer.from(`${hashOf(payload)}\t${payload}\n`, 'utf8')
    let written = 0
    while (written < buf.length) written += fs.writeSync(this.logFd, buf, written, buf.length - written)
    this.seq += 1
    this.logBytes += buf.length
  }

  shouldCompact(): boolean {
    return this.logBytes > COMPACT_MIN_BYTES && this.logBytes > this.snapshotBytes
  }

  hasLog(): boolean {
    return this.logBytes > 0
  }

  /** Writes a fresh snapshot of everything and empties the log. */
  compact(collections: Iterable<[string, Iterable<Doc>]>): void {
    const target = path.join(this.dir, SNAPSHOT)
    const tmp = target + '.tmp'
    const fd = fs.openSync(tmp, 'w')
    let bytes = 0
    const write = (s: string): void => {
      const buf = Buffer.from(s, 'utf8')
      let w = 0
      while (w < buf.length) w += fs.writeSync(fd, buf, w, buf.length - w)
      bytes += buf.length
    }
    try {
      const entries = [...collections]
      const header: SnapshotHeader = { format: FORMAT, version: 1, seq: this.seq, collections: entries.map(([n]) => n) }
      write(JSON.stringify(header) + '\n')
      for (const [name, docs] of entries) {
        let chunk: unknown[] = []
        for (const doc of docs) {
          chunk.push(encodeStored(doc))
          if (chunk.length >= CHUNK) {
            write(JSON.stringify({ c: name, d: chunk }) + '\n')
            chunk = []
          }
        }
        if (chunk.length > 0) write(JSON.stringify({ c: name, d: chunk }) + '\n')
      }
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(tmp, target)
    // The snapshot now holds every batch up to `seq`; older log lines would be skipped anyway.
    fs.ftruncateSync(this.logFd, 0)
    this.logBytes = 0
    this.snapshotBytes = bytes
  }

  close(): void {
    fs.closeSync(this.logFd)
  }
}

function fileSize(p: string): number {
  try {
    return fs.statSync(p).size
  } catch {
    return 0
  }
}

function toLogged(op: WriteOp): LoggedOp {
  switch (op.type) {
    case 'put':
    case 'insert':
      return { t: 'put', c: op.collection, d: encodeStored(op.doc) }
    case 'delete':
      return { t: 'del', c: op.collection, i: encodeStored(op.id) }
    case 'createCollection':
      return { t: 'coll', c: op.collection }
  }
}

function collectionIn(state: Map<string, Map<string, Doc>>, name: string): Map<string, Doc> {
  let c = state.get(name)
  if (!c) state.set(name, (c = new Map<string, Doc>()))
  return c
}

/** Returns the sequence number the snapshot covers (0 without one). */
function readSnapshot(file: string, state: Map<string, Map<string, Doc>>): number {
  if (!fs.existsSync(file)) return 0
  const text = fs.readFileSync(file, 'utf8')
  let start = 0
  let seq = 0
  let first = true
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    const line = text.slice(start, end)
    start = end + 1
    if (line.length === 0) continue
    const parsed = JSON.parse(line) as unknown
    if (first) {
      const header = parsed as SnapshotHeader
      if (header.format !== FORMAT) throw new Error(`${file} is not a ${FORMAT} snapshot`)
      seq = header.seq
      for (const name of header.collections) collectionIn(state, name)
      first = false
      continue
    }
    const chunk = parsed as { c: string; d: unknown[] }
    const coll = collectionIn(state, chunk.c)
    for (const raw of chunk.d) {
      const doc = decodeStored(raw) as Doc
      coll.set(idKey(doc._id), doc)
    }
  }
  return seq
}

function replayLog(
  file: string,
  afterSeq: number,
  state: Map<string, Map<string, Doc>>,
): { goodBytes: number; droppedBytes: number; lastSeq: number } {
  if (!fs.existsSync(file)) return { goodBytes: 0, droppedBytes: 0, lastSeq: 0 }
  const buf = fs.readFileSync(file)
  let offset = 0
  let lastSeq = 0
  while (offset < buf.length) {
    const nl = buf.indexOf(10, offset)
    if (nl < 0) break // no newline: the last write was torn
    const line = buf.toString('utf8', offset, nl)
    const tab = line.indexOf('\t')
    const payload = tab < 0 ? '' : line.slice(tab + 1)
    if (tab < 0 || hashOf(payload) !== line.slice(0, tab)) break
    let entry: LogLine
    try {
      entry = JSON.parse(payload) as LogLine
    } catch {
      break
    }
    if (entry.s > afterSeq) applyLogged(entry.o, state)
    lastSeq = entry.s
    offset = nl + 1
  }
  return { goodBytes: offset, droppedBytes: buf.length - offset, lastSeq }
}

function applyLogged(ops: LoggedOp[], state: Map<string, Map<string, Doc>>): void {
  for (const op of ops) {
    if (op.t === 'coll') collectionIn(state, op.c)
    else if (op.t === 'put') {
      const doc = decodeStored(op.d) as Doc
      collectionIn(state, op.c).set(idKey(doc._id), doc)
    } else collectionIn(state, op.c).delete(idKey(decodeStored(op.i)))
  }
}
