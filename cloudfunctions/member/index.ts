import { createMain } from '../shared/handler'
import { card, code, pointsHistory, setBirthday } from './card'
import { createOrder, onPayCallback, orderStatus, stores } from './pay'
import { bindInviter, inviteSummary } from './referral'
import { refreshAutoTags } from './tags-refresh'
import { bindPhone } from './phone'
// Conveniences: 头像昵称, 个人信息 and 注销会员.
import { deleteMembership, myData, setProfile } from './profile'
import { onServiceMessage } from './service-chat'

/** The consumer's function: card, code, points, paying (and WeChat Pay's callback), referral. */
export const actions = { card, code, pointsHistory, setBirthday, bindPhone, stores, createOrder, orderStatus, bindInviter, inviteSummary, setProfile, myData, deleteMembership }

export const main = createMain({ actions, onPayCallback, onTimer: (_event, ctx) => refreshAutoTags(ctx), onMessagePush: (event, ctx) => onServiceMessage(event, ctx) })
