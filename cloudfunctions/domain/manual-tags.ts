import { MANUAL_TAG_MAX, MAX_MANUAL_TAGS } from '../../miniprogram/shared/text-limits'
import { AUTO_TAGS } from './tags'

/** Tags staff put on a member by hand (e.g. 咖啡豆爱好者), next to the automatic behaviour tags. Limits: miniprogram/shared/text-limits.ts. */
export { MAX_MANUAL_TAGS }
export const MAX_TAG_CHARS = MANUAL_TAG_MAX

export type TagRefusal = 'EMPTY' | 'TOO_LONG' | 'BAD_CHARS' | 'RESERVED' | 'FULL'

export const TAG_REFUSAL_MESSAGES: Record<TagRefusal, string> = {
  EMPTY: '标签不能为空',
  TOO_LONG: `标签最多 ${MAX_TAG_CHARS} 个字`,
  BAD_CHARS: '标签不能包含换行等特殊字符',
  RESERVED: '该标签为系统自动标签，不能手动添加',
  FULL: `每位会员最多 ${MAX_MANUAL_TAGS} 个手动标签`,
}

const RESERVED = new Set<string>(Object.values(AUTO_TAGS))

/** A tag as typed → the tag to store, or why not. Length counts characters, not UTF-16 units. */
export function normalizeTag(raw: string): { ok: true; tag: string } | { ok: false; reason: TagRefusal } {
  const tag = raw.trim()
  if (!tag) return { ok: false, reason: 'EMPTY' }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(tag)) return { ok: false, reason: 'BAD_CHARS' }
  if (Array.from(tag).length > MAX_TAG_CHARS) return { ok: false, reason: 'TOO_LONG' }
  if (RESERVED.has(tag)) return { ok: false, reason: 'RESERVED' }
  return { ok: true, tag }
}

/** Adds or removes one tag; both are idempotent. Adding beyond the limit is refused. */
export function changeTags(tags: readonly string[], tag: string, remove: boolean): { ok: true; tags: string[] } | { ok: false; reason: TagRefusal } {
  if (remove) return { ok: true, tags: tags.filter((t) => t !== tag) }
  if (tags.includes(tag)) return { ok: true, tags: [...tags] }
  if (tags.length >= MAX_MANUAL_TAGS) return { ok: false, reason: 'FULL' }
  return { ok: true, tags: [...tags, tag] }
}
