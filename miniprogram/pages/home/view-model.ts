import dayjs from 'dayjs'
import type { ActionOutput } from '../../../cloudfunctions/shared/contract'

export interface HomeView {
  serviceText: string
  serverTimeText: string
  shortId: string
}

/** What the home page shows, computed from the server's answers (pure, tested without rendering). */
export function homeViewModel(ping: ActionOutput<'system', 'ping'>, who: ActionOutput<'system', 'whoami'>): HomeView {
  return {
    serviceText: ping.pong ? '服务正常' : '服务异常',
    serverTimeText: dayjs(ping.serverTime).format('YYYY年M月D日 HH:mm'),
    shortId: who.openid.slice(-6),
  }
}
