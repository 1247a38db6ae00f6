import { readCodeEntry, type StoredCode } from '../lesson/join-codes'
import { StoredSiteSchema, type StoredSite } from './site-entry'

/** The part of unstorage's `Storage` a sweep needs besides reading and writing. */
export interface SweepableStore {
  getItem(key: string): Promise<unknown>
  setItem(key: string, value: StoredSite | StoredCode): Promise<void>
  getKeys(base: string): Promise<string[]>
  removeItem(key: string): Promise<void>
}

/** What a sweep did: names forgotten, entries from before expiry stamped, entries it could not read. */
export interface SiteSweep {
  removed: number
  stamped: number
  corrupt: number
}

/** Where the registry keeps things, its clock and its queue. */
export interface SweepOptions {
  sitePrefix: string
  codeKey: (code: string) => string
  now: number
  expired: (site: StoredSite) => boolean
  serialise: <T>(key: string, task: () => Promise<T>) => Promise<T>
}

/**
 * Forget every expired site, and its join code when the code still leads to
 * it; stamp `lastHostedAt` on entries written before expiry existed, so their
 * term starts with the first sweep and no site of before is lost to it. Each
 * name is handled in the registry's queue for it.
 */
export async function sweepSites(store: Partial<SweepableStore> & Pick<SweepableStore, 'getItem' | 'setItem'>, options: SweepOptions): Promise<SiteSweep> {
  const sweep: SiteSweep = { removed: 0, stamped: 0, corrupt: 0 }
  if (!store.getKeys || !store.removeItem) return sweep
  const { getKeys, removeItem } = { getKeys: store.getKeys.bind(store), removeItem: store.removeItem.bind(store) }
  for (const key of await getKeys(options.sitePrefix)) {
    const site = key.slice(options.sitePrefix.length)
    await options.serialise(site, async () => {
      const stored = StoredSiteSchema.safeParse(await store.getItem(key))
      if (!stored.success) {
        sweep.corrupt++
        return
      }
      const entry = stored.data
      if (entry.lastHostedAt === undefined) {
        await store.setItem(key, { ...entry, lastHostedAt: options.now })
        sweep.stamped++
        return
      }
      if (!options.expired(entry)) return
      if (entry.code !== undefined && await readCodeEntry(store, options.codeKey(entry.code)) === site) await removeItem(options.codeKey(entry.code))
      await removeItem(key)
      sweep.removed++
    })
  }
  return sweep
}
