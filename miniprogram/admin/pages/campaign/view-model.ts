import { CAMPAIGN_STATUS_LABELS, SKIP_LABELS, type CampaignSkip, type CampaignStatus, type NoticeSkip } from '../../../shared/segment-rules'

export interface ProgressView {
  processed: number
  issued: number
  holdout: number
  notified: number
  skipped: Record<CampaignSkip | NoticeSkip, number>
}

/** Why members got nothing (or no notice), the non-zero reasons only, in Chinese. */
export function skipLines(p: ProgressView): string[] {
  return (Object.keys(p.skipped) as Array<CampaignSkip | NoticeSkip>).filter((k) => k !== 'holdout' && p.skipped[k] > 0).map((k) => `${SKIP_LABELS[k]}：${p.skipped[k]} 人`)
}

export function statusText(status: CampaignStatus, startAt: string | null): string {
  if (status === 'scheduled' && startAt) {
    const t = new Date(new Date(startAt).getTime() + 8 * 3_600_000).toISOString()
    return `${CAMPAIGN_STATUS_LABELS.scheduled}（${t.slice(0, 10)} ${t.slice(11, 16)} 开始）`
  }
  return CAMPAIGN_STATUS_LABELS[status]
}
