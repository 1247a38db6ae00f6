import { createHmac, randomBytes } from 'node:crypto'
import { z } from 'zod'
import type { IceServer } from '../../../shared/protocol/signal'
import type { SignalingLog } from './context'

/** Longest a minted TURN credential lives: one hour (issue 13), so a leaked one is soon worthless. */
export const MAX_TURN_TTL_SECONDS = 3600

// Env values arrive as strings unless they parse as JSON: NUXT_TURN_URLS may be
// a JSON array or a comma-separated list.
const UrlsSchema = z.preprocess(
  value => (typeof value === 'string' ? value.split(',').map(url => url.trim()).filter(Boolean) : value),
  z.array(z.string().regex(/^turns?:\S+$/, 'each TURN URL starts with turn: or turns:')).min(1, 'no TURN URL is given'),
)

const TurnConfigSchema = z.object({
  urls: UrlsSchema,
  // Not coerced: env values that look like JSON are parsed (NUXT_TURN_SECRET=1e5 arrives as 100000), and a
  // secret turned back into a different string would mint credentials coturn refuses.
  secret: z.string({ error: 'the secret is not a string (env values of digits or true/false are parsed as JSON: use a secret with letters)' }).min(1, 'the secret is empty'),
  ttlSeconds: z.coerce.number().int('ttlSeconds is a whole number of seconds').min(60, 'ttlSeconds is under 60')
    .max(MAX_TURN_TTL_SECONDS, `ttlSeconds is over ${MAX_TURN_TTL_SECONDS} (credentials live at most an hour)`).default(MAX_TURN_TTL_SECONDS),
})

/** The TURN servers signaling mints credentials for, and coturn's `static-auth-secret` (server-side only). */
export type TurnConfig = z.infer<typeof TurnConfigSchema>

const isUnset = (value: unknown) => value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)

/**
 * Runtime config `turn` (env NUXT_TURN_URLS, NUXT_TURN_SECRET,
 * NUXT_TURN_TTL_SECONDS): null when neither URLs nor a secret is set (no
 * TURN, the default). Anything else that is not a whole, valid config is
 * logged and TURN stays off: a half config would hand out credentials coturn
 * refuses. The log never quotes the secret.
 */
export function parseTurnConfig(value: unknown, log: SignalingLog): TurnConfig | null {
  const given = typeof value === 'object' && value !== null ? new Map(Object.entries(value)) : new Map<string, unknown>()
  if (isUnset(given.get('urls')) && isUnset(given.get('secret'))) return null
  const parsed = TurnConfigSchema.safeParse({ ...Object.fromEntries(given), ttlSeconds: isUnset(given.get('ttlSeconds')) ? undefined : given.get('ttlSeconds') })
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  log.error(`runtime config turn is invalid, so TURN is off: ${issue ? `${issue.path.join('.') || 'turn'}: ${issue.message}` : 'invalid'}`)
  return null
}

/**
 * A TURN server entry with a credential of coturn's REST API
 * (`use-auth-secret`): username `<expiry, unix seconds>:<opaque id>`,
 * credential base64(HMAC-SHA1(secret, username)). coturn refuses it after
 * the expiry, so what a page sees is worthless an hour later.
 */
export function mintTurnServer(config: TurnConfig, opaqueId: string, nowMs: number): IceServer {
  const expiry = Math.floor(nowMs / 1000) + config.ttlSeconds
  const username = `${expiry}:${opaqueId}`
  const credential = createHmac('sha1', config.secret).update(username).digest('base64')
  return { urls: config.urls, username, credential }
}

/** An opaque id for one session's TURN username: random, so coturn's logs name no student and no signaling session. */
export function newTurnId(): string {
  return randomBytes(12).toString('base64url')
}
