import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { getDoc, txGet, type Transaction } from './db-util'
import type { StoreDoc } from './documents'

/**
 * The one rule for taking money at a store, for a consumer's order (member.createOrder) and a
 * clerk's cashier sale (admin.cashier.capture) alike: the store exists and is open.
 */
export const STORE_CLOSED_MESSAGE = '门店不存在或已停止营业'

export function assertOpen(store: StoreDoc | null): StoreDoc {
  if (!store || store.status !== 'open') throw new AppError('NOT_FOUND', STORE_CLOSED_MESSAGE)
  return store
}

export async function requireOpenStore(db: Database, storeId: string): Promise<StoreDoc> {
  return assertOpen(await getDoc<StoreDoc>(db, COLLECTIONS.stores, storeId))
}

/** The same check inside a capture's transaction: a store closed a moment ago takes no sale. */
export async function requireOpenStoreIn(t: Transaction, storeId: string): Promise<StoreDoc> {
  return assertOpen(await txGet<StoreDoc>(t, COLLECTIONS.stores, storeId))
}
