import type { ActionOutput } from '../../cloudfunctions/shared/contract'
import { avatarSrc } from './avatar'

type CardMember = NonNullable<ActionOutput<'member', 'card'>['member']>

/**
 * The member's avatar and nickname as the last member.card answer said (home and the card page
 * load it anyway), so 我的 shows and edits them without asking the server again.
 */
let known: { isMember: boolean; nickname: string; avatarUrl: string } | null = null

export function rememberCard(member: CardMember | null): void {
  known = { isMember: !!member, nickname: member?.nickname ?? '', avatarUrl: avatarSrc(member?.avatarFileId) }
}

export function rememberProfile(nickname: string | null, avatarFileId: string | null): void {
  known = { isMember: true, nickname: nickname ?? '', avatarUrl: avatarSrc(avatarFileId) }
}

export function knownProfile(): { isMember: boolean; nickname: string; avatarUrl: string } {
  return known ?? { isMember: false, nickname: '', avatarUrl: '' }
}

/** Tests start each case from nothing known. */
export function forgetProfile(): void {
  known = null
}
