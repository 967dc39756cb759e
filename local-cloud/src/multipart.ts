import busboy from 'busboy'
import { MAX_BODY_BYTES } from './http-util'
import { textOf } from './text'

/**
 * Parses a multipart/form-data body into raw buffers by field name. busboy reports parts with
 * `Content-Type: application/octet-stream` (the SDK's protobuf parts, which have no filename) as
 * files and the others as UTF-8 text fields; both end up as Buffers here.
 */
export function parseMultipart(contentType: string, body: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy
    try {
      parser = busboy({ headers: { 'content-type': contentType }, defCharset: 'utf8', limits: { fieldSize: MAX_BODY_BYTES } })
    } catch (err) {
      reject(err instanceof Error ? err : new Error(textOf(err)))
      return
    }
    const fields = new Map<string, Buffer>()
    const pending: Promise<void>[] = []
    parser.on('field', (name, value) => fields.set(name, Buffer.from(value, 'utf8')))
    parser.on('file', (name, stream) => {
      pending.push(
        new Promise((done, fail) => {
          const chunks: Buffer[] = []
          stream.on('data', (c: Buffer) => chunks.push(c))
          stream.on('end', () => {
            fields.set(name, Buffer.concat(chunks))
            done()
          })
          stream.on('error', fail)
        }),
      )
    })
    parser.on('error', reject)
    parser.on('close', () => {
      Promise.all(pending).then(() => resolve(fields), reject)
    })
    parser.end(body)
  })
}
