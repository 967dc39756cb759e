import type { IncomingMessage, ServerResponse } from 'http'

/** Bodies above this are refused: the local cloud serves a developer, not uploads. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`)
  }
}

/**
 * The whole body, or BodyTooLargeError past `limit`. The rest of an oversized body is read and
 * dropped rather than the socket destroyed, so the caller can still answer (413).
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return
      size += chunk.length
      if (size > limit) {
        tooLarge = true
        chunks.length = 0
        reject(new BodyTooLargeError(limit))
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** JSON text of a value; `undefined` (a function returning nothing) becomes `null`. */
export function toJson(value: unknown): string {
  const text = JSON.stringify(value)
  return text === undefined ? 'null' : text
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  contentType = 'application/json; charset=utf-8',
): void {
  sendRaw(res, status, toJson(value), contentType)
}

export function sendRaw(res: ServerResponse, status: number, body: string | Buffer, contentType: string): void {
  if (res.headersSent || res.writableEnded) return
  res.statusCode = status
  res.setHeader('Content-Type', contentType)
  res.setHeader('Content-Length', Buffer.byteLength(body))
  res.end(body)
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()]
  return Array.isArray(value) ? value[0] : value
}

export function newRequestId(): string {
  return `${Date.now().toString(16)}${Math.random().toString(16).slice(2, 10)}`
}
