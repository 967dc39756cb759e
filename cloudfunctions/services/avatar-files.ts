import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'

/** What of the SDK the avatar files need (cloud.deleteFile), so tests can hand a failing one. */
export interface FileStore {
  deleteFile(param: { fileList: string[] }): Promise<{ fileList: { fileID: string; status: number; errMsg?: string }[] }> | void
}

/** wx-server-sdk's status for a file that is not there (STORAGE_FILE_NONEXIST): already gone counts as deleted. */
const FILE_NONEXIST = -503003

/**
 * Deletes a member's avatar file from cloud storage, unless another member's document still
 * names the same fileID (a member may only point at a file; deleting one's own membership or
 * avatar must never remove somebody else's picture). Throws when storage refuses, so the
 * caller's step fails and is retried rather than leaving the picture behind.
 */
export async function deleteAvatarFile(db: Database, files: FileStore, memberId: string, fileId: string | null | undefined): Promise<boolean> {
  if (!fileId) return false
  const _ = db.command
  const others = (await db.collection(COLLECTIONS.members).where({ avatarFileId: fileId, _id: _.neq(memberId) }).count()) as { total: number }
  if (others.total > 0) return false
  const res = await files.deleteFile({ fileList: [fileId] })
  const status = res?.fileList?.[0]?.status
  if (status !== 0 && status !== FILE_NONEXIST) {
    console.error('[avatar] deleteFile', fileId, res?.fileList?.[0])
    throw new AppError('INTERNAL', '头像文件删除失败，请稍后重试')
  }
  return status === 0
}
