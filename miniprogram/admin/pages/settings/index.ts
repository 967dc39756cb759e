import type { MerchantSettings, QualifyingAction } from '../../../../cloudfunctions/domain/merchant-settings'
import { callCloud, CloudCallError } from '../../../lib/call-cloud'
import { definePage, exclusive } from '../../../lib/page'
import { MAX_TIERS } from '../../../shared/settings-rules'
import { getStaffSession } from '../../../lib/staff-session'
import { instanceStore, toast, toastError } from '../../../lib/ui'
import { errorMessageOf } from '../../../lib/view-state'
import { datasetText } from '../../../lib/dataset'
import {
  blankTier,
  cardPreview,
  diffSettings,
  parseForm,
  QUALIFYING_ACTIONS,
  readonlyView,
  settingsToForm,
  TYPED_NUMBER_CHECKS,
  type CardPreview,
  type ReadonlyView,
  type SettingsForm,
  type TierForm,
} from './view-model'

type FormField = Exclude<keyof SettingsForm, 'tiers' | 'qualifyingAction' | 'riskCheck' | 'typedNumberCheck'>
type TierField = Exclude<keyof TierForm, 'key'>
const FORM_FIELDS: FormField[] = [
  'brandName',
  'background',
  'textColor',
  'yuanPerPoint',
  'inviterPoints',
  'lapseDays',
  'highSpendYuan',
  // Referral farming and counter fraud (issue 12).
  'minQualifyingYuan',
  'referralDailyCap',
  'referralMonthlyCap',
  'approvalAboveYuan',
  'clerkDailyCapYuan',
  'storeDailyCapYuan',
  'failedAttemptsPerMinute',
]
const TIER_FIELDS: TierField[] = ['name', 'minGrowth', 'multiplier', 'benefits']

interface InputEvent {
  currentTarget: { dataset: Record<string, unknown> }
  detail: { value: string }
}
interface TapEvent {
  currentTarget: { dataset: Record<string, unknown> }
}

/** The settings as last loaded or saved (what the diff is taken against). */
const local = instanceStore(() => ({ saved: null as MerchantSettings | null }))

/** 商家设置: the owner edits the merchant's settings; other staff read them. */
definePage({
  data: {
    canEdit: false,
    form: null as SettingsForm | null,
    preview: { brandName: '', tierName: '', style: '' } as CardPreview,
    view: { rows: [], tiers: [] } as ReadonlyView,
    actions: QUALIFYING_ACTIONS,
    typedChecks: TYPED_NUMBER_CHECKS,
    saving: false,
    formError: '',
  },
  async load({ fresh }) {
    const [staff, got] = await Promise.all([getStaffSession({ fresh }), callCloud('admin', 'settings.get', {}).catch((e: unknown) => e as Error)])
    if (!staff) return { viewState: 'empty' }
    if (got instanceof Error) throw got
    this.show(got.settings, staff.capabilities.canEditSettings)
    return {}
  },
  methods: {
    show(settings: MerchantSettings, canEdit: boolean) {
      local(this).saved = settings
      const form = settingsToForm(settings)
      this.setData({ canEdit, form, preview: cardPreview(form, settings), view: readonlyView(settings), formError: '' })
    },
    /** Replaces the form (whole, so the preview and the error line follow every keystroke). */
    update(form: SettingsForm) {
      const saved = local(this).saved
      this.setData({ form, formError: '', ...(saved ? { preview: cardPreview(form, saved) } : {}) })
    },
    onField(e: InputEvent) {
      const field = datasetText(e, 'field') as FormField
      const form = this.data.form
      if (!form || !FORM_FIELDS.includes(field)) return
      this.update({ ...form, [field]: e.detail.value })
    },
    onPickAction(e: TapEvent) {
      const value = datasetText(e, 'value') as QualifyingAction
      const form = this.data.form
      if (!form || !QUALIFYING_ACTIONS.some((a) => a.value === value)) return
      this.update({ ...form, qualifyingAction: value })
    },
    onPickTypedCheck(e: TapEvent) {
      const value = datasetText(e, 'value')
      const form = this.data.form
      const found = TYPED_NUMBER_CHECKS.find((c) => c.value === value)
      if (!form || !found) return
      this.update({ ...form, typedNumberCheck: found.value })
    },
    onToggleRiskCheck() {
      const form = this.data.form
      if (form) this.update({ ...form, riskCheck: !form.riskCheck })
    },
    onTierField(e: InputEvent) {
      const index = Number(e.currentTarget.dataset.index)
      const field = datasetText(e, 'field') as TierField
      const form = this.data.form
      if (!form || !form.tiers[index] || !TIER_FIELDS.includes(field)) return
      this.update({ ...form, tiers: form.tiers.map((t, i) => (i === index ? { ...t, [field]: e.detail.value } : t)) })
    },
    onAddTier() {
      const form = this.data.form
      if (!form) return
      if (form.tiers.length >= MAX_TIERS) return toast(`会员等级最多 ${MAX_TIERS} 个`)
      this.update({ ...form, tiers: [...form.tiers, blankTier(form.tiers)] })
    },
    onRemoveTier(e: TapEvent) {
      const index = Number(e.currentTarget.dataset.index)
      const form = this.data.form
      if (!form || !form.tiers[index]) return
      if (form.tiers.length <= 1) return toast('至少需要一个会员等级')
      this.update({ ...form, tiers: form.tiers.filter((_, i) => i !== index) })
    },
    async onSave() {
      const s = local(this)
      const saved = s.saved
      const form = this.data.form
      if (this.data.saving || !saved || !form || !this.data.canEdit) return
      const parsed = parseForm(form)
      if (!parsed.ok) {
        this.setData({ formError: parsed.message })
        // The same words as the server's refusal: a toast, or a dialog when too long for one.
        return toastError(new CloudCallError('INVALID_INPUT', parsed.message))
      }
      const patch = diffSettings(saved, parsed.value)
      if (!patch) return toast('没有需要修改的内容')
      this.setData({ formError: '' })
      await exclusive(
        this,
        'saving',
        async () => {
          const { settings } = await callCloud('admin', 'settings.update', patch)
          this.show(settings, true)
          toast('已保存')
        },
        (e) => {
          this.setData({ formError: errorMessageOf(e) })
          toastError(e)
        },
      )
    },
  },
})
