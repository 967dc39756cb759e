/**
 * Which open APIs a built function calls, and which its config.json declares. On the cloud (and
 * on the local cloud) an undeclared call fails with -604101 at run time; the open-API test and
 * the deploy doctor find it before. The scan reads a built bundle (index.js: the function's code
 * and everything it imports, wx-server-sdk excluded), where every use must be a literal
 * `openapi.<ns>.<api>(`.
 */
import { existsSync, readFileSync } from 'node:fs'

export interface OpenApiScan {
  used: string[]
  /** Uses that are not a literal openapi.<ns>.<api>( call, which the scan cannot check. */
  opaque: string[]
}

export function scanOpenApi(code: string): OpenApiScan {
  const used = new Set<string>()
  const opaque: string[] = []
  for (const m of code.matchAll(/\bopenapi\b/g)) {
    const at = m.index ?? 0
    const call = /^openapi\s*\.\s*([A-Za-z_$][\w$]*)\s*\.\s*([A-Za-z_$][\w$]*)\s*\(/.exec(code.slice(at))
    if (call) used.add(`${call[1]}.${call[2]}`)
    else opaque.push(code.slice(Math.max(0, at - 40), at + 60).replace(/\s+/g, ' '))
  }
  return { used: [...used].sort(), opaque }
}

export function declaredOpenApi(configFile: string): string[] {
  if (!existsSync(configFile)) return []
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as { permissions?: { openapi?: string[] } }
  return [...(config.permissions?.openapi ?? [])].sort()
}
