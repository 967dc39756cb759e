import { cloudConfig } from '../config'
import { CloudCallError } from './call-cloud'
import { currentDevOpenid } from './call-cloud'

/** The upload did not go through (network, storage refused the file). */
export const AVATAR_UPLOAD_FAILED = '头像上传失败，请稍后重试'

function avatarPath(tempPath: string): string {
  const ext = /\.(png|jpe?g|webp|gif)$/i.exec(tempPath)?.[0]?.toLowerCase() ?? '.jpg'
  return `avatars/${Date.now()}-${Math.random().toString(36).slice(2, 10)}${ext}`
}

/**
 * The local cloud's storage (local-cloud/src/storage.ts): the same multipart upload that
 * wx.cloud.uploadFile makes, as the dev user, to POST /storage/upload; it answers the fileID.
 */
function uploadLocal(cloudPath: string, filePath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.uploadFile({
      url: `${cloudConfig.gatewayUrl}/storage/upload`,
      filePath,
      name: 'file',
      formData: { cloudPath },
      header: { 'X-WX-OPENID': currentDevOpenid() },
      success: (res) => {
        let body: { fileID?: unknown; message?: unknown } = {}
        try {
          body = JSON.parse(String(res.data)) as typeof body
        } catch {
          // not JSON: treated as a failed upload below
        }
        if (res.statusCode === 200 && typeof body.fileID === 'string') resolve(body.fileID)
        else reject(new CloudCallError('INTERNAL', AVATAR_UPLOAD_FAILED))
      },
      fail: () => reject(new CloudCallError('NETWORK', AVATAR_UPLOAD_FAILED)),
    })
  })
}

/**
 * 头像昵称填写's avatar is a temporary file on the phone; it is kept by uploading it to cloud
 * storage under avatars/, and the member stores the fileID (member.setProfile).
 */
export async function uploadAvatar(tempPath: string): Promise<string> {
  const cloudPath = avatarPath(tempPath)
  if (cloudConfig.mode === 'local') return uploadLocal(cloudPath, tempPath)
  const res = await wx.cloud.uploadFile({ cloudPath, filePath: tempPath })
  return res.fileID
}

/**
 * What an <image> shows for a stored avatar: on the cloud the fileID itself (<image> reads
 * cloud:// under storage's default rule 所有用户可读); in local mode the local cloud's public
 * read route for the same file.
 */
export function avatarSrc(fileId: string | null | undefined): string {
  if (!fileId) return ''
  if (cloudConfig.mode !== 'local') return fileId
  const path = /^cloud:\/\/[^/]+\/(.+)$/.exec(fileId)?.[1]
  return path ? `${cloudConfig.gatewayUrl}/storage/public/${path}` : fileId
}
