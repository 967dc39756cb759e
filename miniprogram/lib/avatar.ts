import { cloudConfig } from '../config'
import { CloudCallError } from './call-cloud'

/** What the local cloud cannot do yet: it has no cloud storage for wx.cloud.uploadFile. */
export const LOCAL_NO_STORAGE = '本地云暂不支持上传头像（云存储），请在云开发环境中使用'

/**
 * 头像昵称填写's avatar is a temporary file on the phone; it is kept by uploading it to cloud
 * storage under avatars/, and the member stores the fileID (member.setProfile), which <image>
 * shows directly.
 */
export async function uploadAvatar(tempPath: string): Promise<string> {
  if (cloudConfig.mode === 'local') throw new CloudCallError('UNSUPPORTED', LOCAL_NO_STORAGE)
  const ext = /\.(png|jpe?g|webp|gif)$/i.exec(tempPath)?.[0]?.toLowerCase() ?? '.jpg'
  const cloudPath = `avatars/${Date.now()}-${Math.random().toString(36).slice(2, 10)}${ext}`
  const res = await wx.cloud.uploadFile({ cloudPath, filePath: tempPath })
  return res.fileID
}
