import { z } from 'zod'
import { RECENT_SITES_KEY } from '../../shared/storage-keys'

/** The part of `Storage` the list needs (localStorage in the app, a Map in tests). */
export interface KeyValue {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

const LIMIT = 30

const RecentSitesSchema = z.array(z.object({ name: z.string(), openedAt: z.number() }))
/** A site this browser has opened in the studio. */
export type RecentSite = z.infer<typeof RecentSitesSchema>[number]

/** The sites this browser opened, most recent first; a damaged entry reads as an empty list, not an error. */
export function listRecentSites(storage: KeyValue): RecentSite[] {
  let raw: unknown
  try {
    raw = JSON.parse(storage.getItem(RECENT_SITES_KEY) ?? '[]')
  }
  catch {
    // Not JSON (written by hand or by an old version): start a new list rather than break the landing page.
    return []
  }
  const parsed = RecentSitesSchema.safeParse(raw)
  return parsed.success ? parsed.data.toSorted((a, b) => b.openedAt - a.openedAt) : []
}

/** Put `name` first in the list, stamped `now`. */
export function recordRecentSite(storage: KeyValue, name: string, now = Date.now()): RecentSite[] {
  const list = [{ name, openedAt: now }, ...listRecentSites(storage).filter(site => site.name !== name)].slice(0, LIMIT)
  storage.setItem(RECENT_SITES_KEY, JSON.stringify(list))
  return list
}

/** Take `name` off the list (its data stays in the browser until deleted). */
export function forgetRecentSite(storage: KeyValue, name: string): RecentSite[] {
  const list = listRecentSites(storage).filter(site => site.name !== name)
  storage.setItem(RECENT_SITES_KEY, JSON.stringify(list))
  return list
}
