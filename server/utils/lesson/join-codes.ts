import { randomInt } from 'node:crypto'
import { z } from 'zod'
import type { JoinLookup } from '../../../shared/protocol/api'
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, parseJoinCode } from '../../../shared/protocol/lesson'
import { SiteNameSchema } from '../../../shared/protocol/site'

/** Random join codes tried before a registration gives up (34 million codes: a miss is already rare). */
export const JOIN_CODE_ATTEMPTS = 20

/** A source of candidate join codes (tests inject one to force collisions). */
export type JoinCodeSource = () => string

/** A random join code; `pick(n)` draws an integer in [0, n) (crypto's randomInt: uniform, unbiased). */
export function randomJoinCode(pick: (max: number) => number = randomInt): string {
  let code = ''
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[pick(JOIN_CODE_ALPHABET.length)]
  return code
}

const StoredCodeSchema = z.object({ site: SiteNameSchema })
/** What the store keeps per join code: the site it opens. */
export type StoredCode = z.infer<typeof StoredCodeSchema>

/** The part of the store join codes use. */
export interface CodeStore {
  getItem(key: string): Promise<unknown>
  setItem(key: string, value: StoredCode): Promise<void>
}

/** The site stored under a join code's key, or null when the code is free; throws on a corrupt entry. */
export async function readCodeEntry(store: CodeStore, key: string): Promise<string | null> {
  const raw = await store.getItem(key)
  if (raw === null || raw === undefined) return null
  const stored = StoredCodeSchema.safeParse(raw)
  if (!stored.success) throw new Error(`corrupt join code entry ${key}`)
  return stored.data.site
}

/**
 * Take a free join code for `site`: draw codes until one has no entry, and
 * write its entry. The caller runs one reservation at a time (across
 * instances, under the backplane's lock), so two sites never take the same
 * code between the read and the write.
 */
export async function reserveJoinCode(store: CodeStore, keyOf: (code: string) => string, site: string, source: JoinCodeSource): Promise<string> {
  for (let attempt = 0; attempt < JOIN_CODE_ATTEMPTS; attempt++) {
    const code = source()
    if (await readCodeEntry(store, keyOf(code)) !== null) continue
    await store.setItem(keyOf(code), { site })
    return code
  }
  throw new Error(`no free join code for ${site} after ${JOIN_CODE_ATTEMPTS} attempts`)
}

/** What `GET /api/join/<code>` answers: the site, or the status and message of a refusal. */
export type JoinCodeAnswer = { ok: true, lookup: JoinLookup } | { ok: false, status: 400 | 404, message: string }

/**
 * Look up a join code as someone typed it (any case, spaces and dashes
 * ignored): 400 when it cannot be a code, 404 when no site has it.
 */
export async function answerJoinCode(input: string, lookup: (code: string) => Promise<JoinLookup | null>): Promise<JoinCodeAnswer> {
  const parsed = parseJoinCode(input)
  if (!parsed.ok) return { ok: false, status: 400, message: parsed.problem }
  const found = await lookup(parsed.code)
  if (!found) return { ok: false, status: 404, message: `No lesson has the code ${parsed.code}` }
  return { ok: true, lookup: found }
}
