// The visitor's place in a live lesson: who it is (an id kept on this site's
// origin, the name it gave on joining), whether it follows the teacher, and
// whether it is the teacher's own preview (a lead key from the studio).

import { LESSON_FOLLOW_KEY, VISITOR_ID_KEY, VISITOR_NAME_KEY } from '../../shared/storage-keys'

/** What the shell knows of the lesson before it connects. */
export interface LessonIdentity {
  id: string
  name: string
  lead: string
  /** Arrived through a join code: following is on unless the student turned it off. */
  joined: boolean
}

function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), byte => byte.toString(16).padStart(2, '0')).join('')
}

function stored(storage: Storage, key: string, fallback: string): string {
  try {
    return storage.getItem(key) ?? fallback
  }
  catch {
    return fallback // Storage blocked: the lesson still works, unremembered.
  }
}

function keep(storage: Storage, key: string, value: string): void {
  try {
    storage.setItem(key, value)
  }
  catch {
    // Storage blocked: nothing to remember it in.
  }
}

/** The fragment the studio's "Lead the lesson" opens the site with: `#ps-lead=<key>`. */
export const LEAD_FRAGMENT = 'ps-lead'

/**
 * Read and remove the lesson parameters of the address (`?ps-join`,
 * `?ps-name`, `#ps-lead=`): the site must not see them, and a reload must not
 * repeat them. The lead key comes in the fragment, which no server, log or
 * Referer sees, and is kept in this page's memory only, never in storage the
 * site's scripts could read: a reloaded lead tab no longer leads.
 * Returns the identity and the address without them.
 */
export function takeLessonParams(href: string): { identity: LessonIdentity, path: string } {
  const url = new URL(href)
  const joined = url.searchParams.get('ps-join') === '1'
  const name = url.searchParams.get('ps-name')
  for (const key of ['ps-join', 'ps-name']) url.searchParams.delete(key)
  const fragment = new URLSearchParams(url.hash.slice(1))
  const lead = url.hash.startsWith(`#${LEAD_FRAGMENT}=`) ? fragment.get(LEAD_FRAGMENT) ?? '' : ''
  if (lead) url.hash = ''
  if (name !== null) keep(localStorage, VISITOR_NAME_KEY, name.trim().slice(0, 60))
  if (joined) keep(sessionStorage, LESSON_FOLLOW_KEY, '1')
  let id = stored(localStorage, VISITOR_ID_KEY, '')
  if (!/^[\w-]{8,64}$/.test(id)) {
    id = randomId()
    keep(localStorage, VISITOR_ID_KEY, id)
  }
  return {
    identity: { id, name: stored(localStorage, VISITOR_NAME_KEY, ''), lead, joined: stored(sessionStorage, LESSON_FOLLOW_KEY, '0') === '1' },
    path: url.pathname + url.search + url.hash,
  }
}

/** Remember the student's follow choice for this tab. */
export function rememberFollow(on: boolean): void {
  keep(sessionStorage, LESSON_FOLLOW_KEY, on ? '1' : '0')
}
