import { callCloud } from '../../lib/call-cloud'
import { avatarSrc, uploadAvatar } from '../../lib/avatar'
import { knownProfile, rememberProfile } from '../../lib/member-profile'
import { getStaffSession } from '../../lib/staff-session'
import { toast, toastError } from '../../lib/ui'
import { errorMessageOf } from '../../lib/view-state'

/** 我的: the consumer's shortcuts, 头像昵称 for members, plus 商家管理 for staff (known from the staff session). */
Component({
  data: {
    isStaff: false,
    staffText: '',
    /** 'loading' | 'ready' | 'error' for the staff check only; the page itself is always usable */
    staffState: 'loading',
    staffError: '',
    /** 头像昵称填写 (optional, members only) */
    isMember: false,
    nickname: '',
    avatarUrl: '',
    savingProfile: false,
  },
  methods: {
    onLoad() {
      void this.loadStaff()
      this.loadProfile()
    },
    onShow() {
      // back from 员工加入: the entry may have appeared (joining clears the cached session)
      if (this.data.staffState !== 'loading') void this.loadStaff()
      this.loadProfile()
    },
    async loadStaff() {
      try {
        const staff = await getStaffSession()
        this.setData({
          isStaff: !!staff,
          // what each role may do differs (HQ has no 收银, a clerk invites no one): name the role only
          staffText: staff ? `当前身份：${staff.roleName}` : '',
          staffState: 'ready',
          staffError: '',
        })
      } catch (e) {
        this.setData({ staffState: 'error', staffError: errorMessageOf(e) })
      }
    },
    onRetryStaff() {
      this.setData({ staffState: 'loading' })
      void this.loadStaff()
    },
    /** The header shows the member's own avatar and nickname, as the last card answer said. */
    loadProfile() {
      this.setData(knownProfile())
    },
    async saveProfile(patch: { nickname?: string; avatarFileId?: string }) {
      if (this.data.savingProfile) return
      this.setData({ savingProfile: true })
      try {
        const saved = await callCloud('member', 'setProfile', patch)
        rememberProfile(saved.nickname, saved.avatarFileId)
        this.setData({ nickname: saved.nickname ?? '', avatarUrl: avatarSrc(saved.avatarFileId) })
        toast('已保存')
      } catch (e) {
        toastError(e)
      } finally {
        this.setData({ savingProfile: false })
      }
    },
    async onChooseAvatar(e: WechatMiniprogram.CustomEvent<{ avatarUrl?: string }>) {
      const temp = e.detail.avatarUrl
      if (!temp) return
      try {
        await this.saveProfile({ avatarFileId: await uploadAvatar(temp) })
      } catch (err) {
        toastError(err)
      }
    },
    onNickname(e: WechatMiniprogram.CustomEvent<{ value?: string }>) {
      const value = (e.detail.value ?? '').trim()
      if (!value || value === this.data.nickname) return
      void this.saveProfile({ nickname: value })
    },
  },
})
