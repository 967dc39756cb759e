import { callCloud } from '../../lib/call-cloud'
import { toast, toastError } from '../../lib/ui'

type PhoneDetail = { code?: string; errMsg?: string } | undefined

/**
 * getPhoneNumber (optional): the one-time code goes to the server, which asks WeChat for the
 * number; the card shows the masked number it answers. A refusal by the person says nothing.
 */
export async function bindPhone(page: { setData(patch: WechatMiniprogram.IAnyObject): void }, detail: PhoneDetail): Promise<void> {
  const code = detail?.code
  if (!code) {
    if (!/deny|cancel/i.test(detail?.errMsg ?? '')) toast('未能获取手机号，请稍后重试')
    return
  }
  try {
    const res = await callCloud('member', 'bindPhone', { code })
    page.setData({ 'view.phoneText': res.phoneMasked })
    toast('手机号已绑定')
  } catch (err) {
    toastError(err)
  }
}
