import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import type { MerchantSettings } from '../domain/merchant-settings'
import { getDoc } from './db-util'
import type { StoreDoc, SubBrandDoc } from './documents'

export interface CardBrand {
  name: string
  logoUrl: string
  cardBackground: string
  cardTextColor: string
  /** The sub-brand whose look this is (null: the group's). */
  subBrandName?: string | null
}

/**
 * The look a member's card shows: that of the sub-brand of the store where they became a member
 * (their first store, which never changes, so the card does not flip between looks as they visit
 * other stores), where that sub-brand sets its own brand name or card colours; the group's
 * otherwise. Points and tier stay group-wide whatever the look.
 */
export async function cardBrandFor(db: Database, settings: MerchantSettings, firstStoreId: string | null | undefined): Promise<CardBrand> {
  const group: CardBrand = { name: settings.brandName, logoUrl: settings.logoUrl, cardBackground: settings.card.background, cardTextColor: settings.card.textColor, subBrandName: null }
  if (!firstStoreId) return group
  const store = await getDoc<StoreDoc>(db, COLLECTIONS.stores, firstStoreId)
  if (!store?.subBrandId) return group
  const sub = await getDoc<SubBrandDoc>(db, COLLECTIONS.subBrands, store.subBrandId)
  if (!sub) return group
  return {
    name: sub.brandName || group.name,
    logoUrl: group.logoUrl,
    cardBackground: sub.card?.background ?? group.cardBackground,
    cardTextColor: sub.card?.textColor ?? group.cardTextColor,
    subBrandName: sub.name,
  }
}
