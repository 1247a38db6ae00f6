import { webcrypto } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { MAX_TURN_TTL_SECONDS, mintTurnServer, newTurnId, parseTurnConfig, type TurnConfig } from '../../../../../server/utils/signaling/turn'
import { createRecordingLog } from './fake-peers'

const SECRET = 'logen'
const config: TurnConfig = { urls: ['turn:127.0.0.1:3478?transport=udp', 'turns:127.0.0.1:5349'], secret: SECRET, ttlSeconds: 3600 }

/** base64(HMAC-SHA1(secret, text)) by WebCrypto, not by the node:crypto HMAC the code uses. */
async function hmacSha1Base64(secret: string, text: string): Promise<string> {
  const key = await webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign'])
  return Buffer.from(await webcrypto.subtle.sign('HMAC', key, new TextEncoder().encode(text))).toString('base64')
}

describe('mintTurnServer', () => {
  it('mints coturn\'s REST-API credential: <expiry>:<id>, base64(HMAC-SHA1(secret, username))', async () => {
    const now = 1_700_000_000_500
    const minted = mintTurnServer(config, 'AbCdEfGhIjKlMnOp', now)
    expect(minted).toEqual({ urls: config.urls, username: '1700003600:AbCdEfGhIjKlMnOp', credential: expect.any(String) })
    // Python's hmac module, once, by hand: the same credential from a third implementation.
    expect(minted.credential).toBe('ew5x76uOQBtPit5m7LXfMeZKCz0=')
    expect(minted.credential).toBe(await hmacSha1Base64(SECRET, minted.username ?? ''))
  })

  it.each([60, 600, 3600])('expires %i s from now (whole seconds)', (ttlSeconds) => {
    const now = Date.UTC(2026, 0, 5, 9, 0, 0, 999)
    const [expiry, id] = (mintTurnServer({ ...config, ttlSeconds }, 'x', now).username ?? '').split(':')
    expect(Number(expiry)).toBe(Math.floor(now / 1000) + ttlSeconds)
    expect(id).toBe('x')
  })

  it('never puts the secret in the entry', () => {
    expect(JSON.stringify(mintTurnServer(config, newTurnId(), Date.now()))).not.toContain(SECRET)
  })

  it('opaque ids are random base64url, no separator in them', () => {
    const ids = new Set(Array.from({ length: 100 }, () => newTurnId()))
    expect(ids.size).toBe(100)
    for (const id of ids) expect(id).toMatch(/^[\w-]{16}$/)
  })
})

describe('parseTurnConfig', () => {
  it('is off, silently, when nothing is configured (the default)', () => {
    const log = createRecordingLog()
    expect(parseTurnConfig(undefined, log)).toBeNull()
    expect(parseTurnConfig({ urls: [], secret: '', ttlSeconds: 3600 }, log)).toBeNull()
    expect(log.lines).toEqual([])
  })

  it('accepts a whole config, from nuxt.config or from env (a JSON array or a comma list; numbers as strings)', () => {
    const log = createRecordingLog()
    expect(parseTurnConfig(config, log)).toEqual(config)
    expect(parseTurnConfig({ urls: 'turn:127.0.0.1:3478, turns:127.0.0.1:5349', secret: 'logen', ttlSeconds: '600' }, log))
      .toEqual({ urls: ['turn:127.0.0.1:3478', 'turns:127.0.0.1:5349'], secret: 'logen', ttlSeconds: 600 })
    expect(parseTurnConfig({ urls: ['turn:127.0.0.1'], secret: SECRET }, log)).toEqual({ urls: ['turn:127.0.0.1'], secret: SECRET, ttlSeconds: MAX_TURN_TTL_SECONDS })
    expect(log.lines).toEqual([])
  })

  it.each([
    ['a TTL over an hour', { ...config, ttlSeconds: 3601 }, 'ttlSeconds is over 3600'],
    ['a day-long TTL', { ...config, ttlSeconds: 86400 }, 'ttlSeconds is over 3600'],
    ['a TTL under a minute', { ...config, ttlSeconds: 10 }, 'ttlSeconds is under 60'],
    ['a TTL that is not a number', { ...config, ttlSeconds: 'an hour' }, 'ttlSeconds'],
    ['URLs without a secret', { urls: config.urls, secret: '' }, 'secret'],
    ['a secret without URLs', { urls: [], secret: SECRET }, 'no TURN URL'],
    ['a STUN URL', { ...config, urls: ['stun:127.0.0.1:3478'] }, 'turn: or turns:'],
    // NUXT_TURN_SECRET=1e5 arrives as 100000: minting with '100000' would give credentials coturn refuses.
    ['a secret env parsed as a number', { ...config, secret: 100000 }, 'the secret is not a string'],
    ['URLs that are not strings', { ...config, urls: [{ urls: 'turn:x' }] }, 'urls'],
  ])('turns TURN off on %s, and logs why (never the secret)', (_, value, reason) => {
    const log = createRecordingLog()
    expect(parseTurnConfig(value, log)).toBeNull()
    expect(log.lines).toHaveLength(1)
    expect(log.lines[0]?.level).toBe('error')
    expect(log.lines[0]?.message).toContain('TURN is off')
    expect(log.lines[0]?.message).toContain(reason)
    expect(log.lines[0]?.message).not.toContain(SECRET)
  })
})
