import { z } from 'zod'
import { SiteNameSchema } from './site'

/**
 * The letters of a join code: consonants without L and Q. No I, L, O or Q,
 * which read as 1, 0 or each other on a projector or a whiteboard; and no
 * vowels (A E I O U Y), so a code shown to a class never spells a word.
 * 18 letters, 6 of them: 34 million codes.
 */
export const JOIN_CODE_ALPHABET = 'BCDFGHJKMNPRSTVWXZ'
/** Letters in a join code. */
export const JOIN_CODE_LENGTH = 6

/** A join code as the server mints it: six letters of JOIN_CODE_ALPHABET, upper case. */
export const JoinCodeSchema = z.string().regex(new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`), `a join code is ${JOIN_CODE_LENGTH} letters of ${JOIN_CODE_ALPHABET}`)

/** What `GET /api/join/<code>` answers: the site with that code, and whether a host tab serves it now. */
export const JoinLookupSchema = z.object({ site: SiteNameSchema, online: z.boolean() })
/** The answer of `GET /api/join/<code>`. */
export type JoinLookup = z.infer<typeof JoinLookupSchema>

/** A typed code in canonical form, or why it cannot be one. */
export type JoinCodeParse = { ok: true, code: string } | { ok: false, problem: string }

/** `input` upper-cased, without the spaces and dashes people type between letters. */
export function cleanJoinCode(input: string): string {
  return input.replace(/[\s-]+/g, '').toUpperCase()
}

/** The letters of `input` that no join code uses, each once, in order ("O", "A"…). */
export function foreignJoinCodeLetters(input: string): string[] {
  return [...new Set([...cleanJoinCode(input)].filter(char => !JOIN_CODE_ALPHABET.includes(char)))]
}

/** Read a typed join code: case, spaces and dashes don't matter; anything else is explained. */
export function parseJoinCode(input: string): JoinCodeParse {
  const code = cleanJoinCode(input)
  if (code === '') return { ok: false, problem: 'Type the join code: six letters.' }
  const foreign = foreignJoinCodeLetters(code)
  if (foreign.some(char => !/^[A-Z]$/.test(char))) return { ok: false, problem: 'A join code has letters only.' }
  if (foreign.length > 0) {
    return { ok: false, problem: `Join codes have no ${foreign.join(', ')}: check the letters (codes use only ${JOIN_CODE_ALPHABET}).` }
  }
  if (code.length !== JOIN_CODE_LENGTH) return { ok: false, problem: `A join code has ${JOIN_CODE_LENGTH} letters; this has ${code.length}.` }
  return { ok: true, code }
}
