import { randomId } from '../../crypto'
import { getCookie, setCookie } from '../cookies'
import { stateOf, type VEvent } from '../event'
import type { SessionData } from './store'

/** Options of `useSession`. */
export interface SessionOptions {
  /** Cookie name, default `ps_session`. */
  name?: string
  /** Cookie lifetime in seconds; default: until the browser closes. */
  maxAge?: number
}

/** A visitor's session: `data` as stored, changed only through `update` and `clear`. */
export interface Session {
  readonly id: string
  readonly data: SessionData
  /** Merge `patch` (or what the function returns) into the data and store it. */
  update(patch: SessionData | ((data: SessionData) => SessionData | undefined)): Promise<Session>
  /** Forget the data and start over with a new id (log out). */
  clear(): Promise<Session>
}

export const DEFAULT_SESSION_COOKIE = 'ps_session'
const ID_BYTES = 18

class CookieSession implements Session {
  constructor(
    private readonly event: VEvent,
    private readonly options: SessionOptions & { name: string },
    public id: string,
    public data: SessionData,
  ) {}

  async update(patch: SessionData | ((data: SessionData) => SessionData | undefined)): Promise<Session> {
    const changes = typeof patch === 'function' ? patch(this.data) : patch
    if (changes !== undefined && (typeof changes !== 'object' || changes === null || Array.isArray(changes))) {
      throw new TypeError('session.update: the patch must be an object, like { user: id }')
    }
    this.data = { ...this.data, ...changes }
    await stateOf(this.event).site.sessions.set(this.id, this.data)
    return this
  }

  async clear(): Promise<Session> {
    await stateOf(this.event).site.sessions.delete(this.id)
    // A new id after logout: whoever learnt the old one holds nothing.
    this.id = await issueId(this.event, this.options)
    this.data = {}
    return this
  }
}

async function issueId(event: VEvent, options: SessionOptions & { name: string }): Promise<string> {
  const id = randomId(ID_BYTES)
  const signed = await stateOf(event).site.signer.sign(id)
  setCookie(event, options.name, signed, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: options.maxAge })
  return id
}

async function openSession(event: VEvent, options: SessionOptions & { name: string }): Promise<Session> {
  const { site } = stateOf(event)
  const cookie = getCookie(event, options.name)
  // A cookie that fails the signature check (tampered, another site's) is ignored: the visitor gets a new session.
  const id = cookie ? await site.signer.unsign(cookie) : null
  if (id) {
    const stored = await site.sessions.get(id)
    return new CookieSession(event, options, id, { ...stored })
  }
  return new CookieSession(event, options, await issueId(event, options), {})
}

/**
 * The visitor's session, from a signed session-id cookie (HMAC-SHA256 with the
 * site's secret; HttpOnly, SameSite=Lax, Path=/). A new visitor gets a new id
 * and the cookie at once; data is stored on the first `update`.
 */
export function useSession(event: VEvent, options: SessionOptions = {}): Promise<Session> {
  const name = options.name ?? DEFAULT_SESSION_COOKIE
  const sessions = stateOf(event).sessions
  const open = sessions.get(name) ?? openSession(event, { ...options, name })
  sessions.set(name, open)
  return open
}
