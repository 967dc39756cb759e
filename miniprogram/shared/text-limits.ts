/**
 * Lengths of what people type, the same on the page (to say so before sending) and in the
 * functions' zod schemas (which decide). Counted the way each check counts: zod's max() and the
 * pages' `.length` count UTF-16 units; manual tags count characters (see cloudfunctions/domain/manual-tags.ts).
 */

/** A staff member's name (joinStaff, bootstrapOwner). */
export const STAFF_NAME_MAX = 20

export const STORE_NAME_MAX = 30
export const STORE_ADDRESS_MAX = 100
export const STORE_HOURS_MAX = 50

/** One manual tag on a member, and how many a member may carry. */
export const MANUAL_TAG_MAX = 10
export const MAX_MANUAL_TAGS = 10
/** What members.tag accepts before normalising (trimmed, then checked against MANUAL_TAG_MAX). */
export const MANUAL_TAG_RAW_MAX = 40

// Conveniences: the member's own nickname (头像昵称填写, member.setProfile).
export const NICKNAME_MAX = 20
