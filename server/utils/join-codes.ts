import { parseJoinCode, type JoinLookup } from '../../shared/protocol/join-code'

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
