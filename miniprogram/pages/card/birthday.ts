import { callCloud } from '../../lib/call-cloud'
import { exclusive } from '../../lib/page'
import { confirmDialog, toast } from '../../lib/ui'
import { DAY_OPTIONS, monthDayOf, MONTH_OPTIONS, type CardView } from './view-model'

/** The birthday picker's fields on the card page. */
export const birthdayData = {
  pickerVisible: false,
  pickerValue: ['01', '01'],
  monthOptions: MONTH_OPTIONS,
  dayOptions: DAY_OPTIONS,
  savingBirthday: false,
}

interface BirthdayPage {
  data: typeof birthdayData & { view: CardView }
  setData(patch: Partial<typeof birthdayData> & WechatMiniprogram.IAnyObject): void
}

/** Only a member without a birthday may set one (once). */
export function openBirthday(page: BirthdayPage): void {
  if (page.data.view.canSetBirthday) page.setData({ pickerVisible: true })
}

export function closeBirthday(page: BirthdayPage): void {
  page.setData({ pickerVisible: false })
}

/** The picker's [month, day]: a day that exists, confirmed, is saved once. */
export async function pickBirthday(page: BirthdayPage, value: string[] | undefined): Promise<void> {
  page.setData({ pickerVisible: false })
  const [month = '', day = ''] = value ?? []
  const birthday = monthDayOf(month, day)
  if (!birthday) return toast('日期不存在，请重新选择')
  page.setData({ pickerValue: [month, day] })
  // a second tap while saving opens no second dialog
  if (page.data.savingBirthday) return
  const [m, d] = birthday.split('-').map(Number)
  const ok = await confirmDialog('确认生日', `生日设置为 ${m}月${d}日？生日设置后不可修改`, '确认设置')
  if (!ok) return
  await exclusive(page, 'savingBirthday', async () => {
    const res = await callCloud('member', 'setBirthday', { birthday })
    const [rm, rd] = res.birthday.split('-').map(Number)
    page.setData({ 'view.birthdayText': `${rm}月${rd}日`, 'view.canSetBirthday': false })
    toast('生日已设置，生日月将收到专属礼遇')
  })
}
