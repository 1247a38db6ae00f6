import type * as Y from 'yjs'
import { MAX_SANDBOX_ORIGINS, SandboxOriginSchema } from '../../shared/protocol/sandbox'

/** Default of `timeLimitSeconds`: how long one request may run. */
export const DEFAULT_TIME_LIMIT_SECONDS = 5
/** The range `setTimeLimitSeconds` accepts. */
export const TIME_LIMIT_RANGE = { min: 1, max: 120 } as const

/** The site's settings as plain values (what the zip export writes). */
export interface SiteSettingsValues {
  timeLimitSeconds: number
  liveReload: boolean
  /** Origins the site's handlers may reach (the handler sandbox's connect-src); none by default. */
  allowedOrigins: string[]
}

/** `origins` checked: each an http(s) origin, at most MAX_SANDBOX_ORIGINS, duplicates dropped; else a RangeError saying which. */
export function checkAllowedOrigins(origins: readonly string[]): string[] {
  const unique = [...new Set(origins)]
  if (unique.length > MAX_SANDBOX_ORIGINS) throw new RangeError(`at most ${MAX_SANDBOX_ORIGINS} origins, got ${unique.length}`)
  for (const origin of unique) {
    if (!SandboxOriginSchema.safeParse(origin).success) throw new RangeError(`"${origin}" is not an origin: write http(s)://host[:port], without a path`)
  }
  return unique
}

function isTimeLimit(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= TIME_LIMIT_RANGE.min && value <= TIME_LIMIT_RANGE.max
}

function checkTimeLimit(seconds: number): void {
  if (isTimeLimit(seconds)) return
  throw new RangeError(`the time limit must be a number of seconds from ${TIME_LIMIT_RANGE.min} to ${TIME_LIMIT_RANGE.max}, got ${String(seconds)}`)
}

/**
 * Typed access to the `settings` map. Reads check the stored value (a remote
 * peer may have written it) and fall back to the default.
 */
export class SiteSettings {
  private readonly map: Y.Map<unknown>

  constructor(readonly doc: Y.Doc) {
    this.map = doc.getMap<unknown>('settings')
  }

  /** Seconds a request may run before it is stopped (default 5). */
  get timeLimitSeconds(): number {
    const value = this.map.get('timeLimitSeconds')
    return isTimeLimit(value) ? value : DEFAULT_TIME_LIMIT_SECONDS
  }

  /** Set the time limit; a RangeError unless it is a number from 1 to 120. */
  setTimeLimitSeconds(seconds: number): void {
    checkTimeLimit(seconds)
    if (this.map.get('timeLimitSeconds') !== seconds) this.map.set('timeLimitSeconds', seconds)
  }

  /** Whether visitors' pages reload when the site changes (default true). */
  get liveReload(): boolean {
    const value = this.map.get('liveReload')
    return typeof value === 'boolean' ? value : true
  }

  /** Turn live reload on or off. */
  setLiveReload(on: boolean): void {
    if (this.map.get('liveReload') !== on) this.map.set('liveReload', on)
  }

  /** Origins the site's handlers may fetch from (read checked: a remote peer may have written it). */
  get allowedOrigins(): string[] {
    const value = this.map.get('allowedOrigins')
    if (!Array.isArray(value) || !value.every(item => typeof item === 'string')) return []
    try {
      return checkAllowedOrigins(value)
    }
    catch {
      return [] // A bad list from a peer grants nothing.
    }
  }

  /** Let handlers reach these origins (checked first); [] denies the network again. */
  setAllowedOrigins(origins: readonly string[]): void {
    const checked = checkAllowedOrigins(origins)
    if (JSON.stringify(this.allowedOrigins) !== JSON.stringify(checked)) this.map.set('allowedOrigins', checked)
  }

  /**
   * The secret that signs visitors' session cookies, shared by every author's
   * tab so a login survives a switch of host; made by `make` the first time.
   * Not a setting an author sees, and never exported.
   */
  sessionSecret(make: () => string): string {
    const value = this.map.get('sessionSecret')
    if (typeof value === 'string' && value.length >= 32) return value
    const secret = make()
    if (secret.length < 32) throw new RangeError('a session secret must be at least 32 characters')
    this.map.set('sessionSecret', secret)
    return secret
  }

  /** The key that lets the authors' own preview lead a live lesson; made by `make` the first time, never exported. */
  leadKey(make: () => string): string {
    const value = this.map.get('leadKey')
    if (typeof value === 'string' && value.length >= 16) return value
    const key = make()
    this.map.set('leadKey', key)
    return key
  }

  /**
   * New session secret and lead key, in one transaction: after an author is
   * removed, what they knew signs no cookie and leads no lesson. Visitors'
   * sessions end (their cookies no longer verify) and the lead window must
   * be opened again.
   */
  rotateSecrets(makeSecret: () => string, makeLeadKey: () => string): void {
    const secret = makeSecret()
    if (secret.length < 32) throw new RangeError('a session secret must be at least 32 characters')
    const key = makeLeadKey()
    if (key.length < 16) throw new RangeError('a lead key must be at least 16 characters')
    this.doc.transact(() => {
      this.map.set('sessionSecret', secret)
      this.map.set('leadKey', key)
    })
  }

  /** Every setting with its current value. */
  values(): SiteSettingsValues {
    return { timeLimitSeconds: this.timeLimitSeconds, liveReload: this.liveReload, allowedOrigins: this.allowedOrigins }
  }

  /** Set several settings at once (each validated first, then one transaction). */
  apply(values: Partial<SiteSettingsValues>): void {
    if (values.timeLimitSeconds !== undefined) checkTimeLimit(values.timeLimitSeconds)
    if (values.allowedOrigins !== undefined) checkAllowedOrigins(values.allowedOrigins)
    this.doc.transact(() => {
      if (values.timeLimitSeconds !== undefined) this.setTimeLimitSeconds(values.timeLimitSeconds)
      if (values.liveReload !== undefined) this.setLiveReload(values.liveReload)
      if (values.allowedOrigins !== undefined) this.setAllowedOrigins(values.allowedOrigins)
    })
  }

  /** Hear which settings changed (local or remote), once per transaction; returns the unsubscribe function. */
  onChange(listener: (keys: string[]) => void): () => void {
    const observer = (event: Y.YMapEvent<unknown>): void => {
      try {
        listener([...event.keysChanged])
      }
      catch (error) {
        // Yjs would rethrow it from whichever call made the change, a remote update included.
        console.error('[site] settings listener failed', error)
      }
    }
    this.map.observe(observer)
    return () => this.map.unobserve(observer)
  }
}
