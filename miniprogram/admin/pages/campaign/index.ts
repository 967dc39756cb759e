import { callCloud } from '../../../lib/call-cloud'
import { definePage, exclusive } from '../../../lib/page'
import { getStaffSession } from '../../../lib/staff-session'
import { confirmDialog, instanceStore, toast, toastError } from '../../../lib/ui'
import type { CampaignStatus } from '../../../shared/segment-rules'
import { skipLines, statusText, type ProgressView } from './view-model'

const local = instanceStore(() => ({ id: '', driving: false, gone: false }))
/** Calls campaigns.run at most this many times per visit (each call walks up to 10 s). */
const MAX_RUNS = 60

/**
 * One campaign's progress: while it runs, the page drives the job (campaigns.run, one bounded
 * batch run per call; the timer does the same without the page) and shows processed / issued /
 * notified / skipped with the reasons.
 */
definePage({
  data: {
    name: '',
    status: 'running' as CampaignStatus,
    statusText: '',
    line: '',
    progress: null as ProgressView | null,
    skips: [] as string[],
    cancelling: false,
  },
  onQuery(query) {
    local(this).id = (query.id ?? '').slice(0, 40)
  },
  pageLifetimes: {
    hide() {
      local(this).gone = true
    },
    show() {
      local(this).gone = false
    },
  },
  lifetimes: {
    detached() {
      local(this).gone = true
    },
  },
  methods: {
    showCampaign(c: { name: string; status: CampaignStatus; startAt: string | null; segmentName: string; templateTitle: string; holdoutPercent: number; notify: boolean }, progress: ProgressView) {
      this.setData({
        name: c.name,
        status: c.status,
        statusText: statusText(c.status, c.startAt),
        line: `${c.segmentName} · ${c.templateTitle}${c.holdoutPercent ? ` · 对照组 ${c.holdoutPercent}%` : ''}${c.notify ? ' · 发送通知' : ''}`,
        progress,
        skips: skipLines(progress),
      })
    },
    async drive() {
      const l = local(this)
      if (l.driving) return
      l.driving = true
      try {
        for (let i = 0; i < MAX_RUNS && !l.gone && this.data.status === 'running'; i += 1) {
          const res = await callCloud('admin', 'campaigns.run', { campaignId: l.id })
          this.showCampaign(res.campaign, res.progress)
          if (res.busy) await new Promise((r) => setTimeout(r, 1500))
        }
      } catch (e) {
        toastError(e)
      } finally {
        l.driving = false
      }
    },
    async onCancel() {
      if (!(await confirmDialog('取消活动', '取消后不再发券；已发出的券保留。', '取消活动'))) return
      await exclusive(this, 'cancelling', async () => {
        const res = await callCloud('admin', 'campaigns.cancel', { campaignId: local(this).id })
        this.setData({ status: res.campaign.status, statusText: statusText(res.campaign.status, res.campaign.startAt) })
        toast('已取消')
      })
    },
    onResults() {
      void wx.navigateTo({ url: `/admin/pages/campaign-results/index?id=${encodeURIComponent(local(this).id)}` })
    },
  },
  async load({ fresh }) {
    const staff = await getStaffSession({ fresh })
    const l = local(this)
    if (!staff || !staff.capabilities.entries.segments || !l.id) return { viewState: 'empty' }
    const res = await callCloud('admin', 'campaigns.get', { campaignId: l.id })
    this.showCampaign(res.campaign, res.progress)
    if (res.campaign.status === 'running') void this.drive()
    return {}
  },
})
