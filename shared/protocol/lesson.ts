import { z } from 'zod'

/**
 * The live channel between a host and each visitor shell, inside the tunnel:
 * the shell opens `GET /_ps/lesson?id=&name=&lead=` (a server-sent event
 * stream, one JSON `LessonEvent` per `data:` line) and reports where it is with
 * `POST /_ps/lesson` (a JSON `LessonReport`). The site never sees these paths.
 */
export const LESSON_PATH = '/_ps/lesson'

const PROBE_ORIGIN = 'http://site.invalid'

/**
 * Why `path` is not a path on the site itself, or null when it is. A leader's
 * path sends every follower's page there, so anything a URL parser could
 * read as another host is refused: `//host`, `/\host` (browsers read `\` as
 * `/`), their percent-encoded forms, and control characters or spaces, which
 * parsers strip.
 */
export function sitePathProblem(path: string): string | null {
  if (!path.startsWith('/')) return 'a path starts with /'
  if ([...path].some(char => char <= ' ' || char === '\u007F' || char === '\\')) return 'a path has no spaces, control characters or backslashes'
  let decoded = path
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(decoded); i++) decoded = decoded.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
  if (/^[/\\]{2}/.test(decoded) || /^\/[\s\\]/.test(decoded)) return 'a path on the site starts with a single /'
  if (!URL.canParse(path, PROBE_ORIGIN) || new URL(path, PROBE_ORIGIN).origin !== PROBE_ORIGIN) return 'the path leads off the site'
  return null
}

const Path = z.string().min(1).max(2000).superRefine((path, context) => {
  const problem = sitePathProblem(path)
  if (problem) context.addIssue({ code: 'custom', message: problem })
})
/** How far down the page, 0 (top) to 1 (bottom): the same spot on screens of any height. */
const Scroll = z.number().min(0).max(1)

export const LessonEventSchema = z.discriminatedUnion('type', [
  /** Who this visitor is in the lesson: the one leading, and whether anyone leads. */
  z.object({ type: z.literal('hello'), leading: z.boolean(), lesson: z.boolean() }),
  /** Authors saved: swap these stylesheets in place, or reload the page (keeping its scroll). */
  z.object({ type: z.literal('reload'), css: z.array(Path).max(200), page: z.boolean() }),
  /** The leader is here: followers go to `path` and scroll to `scroll`. */
  z.object({ type: z.literal('navigate'), path: Path, scroll: Scroll }),
  /** The teacher removed this visitor from the lesson. */
  z.object({ type: z.literal('removed') }),
])
/** One event of the live channel, host → visitor. */
export type LessonEvent = z.infer<typeof LessonEventSchema>

export const LessonReportSchema = z.object({ path: Path, scroll: Scroll })
/** Where a visitor is, visitor → host (a leader's reports lead the followers). */
export type LessonReport = z.infer<typeof LessonReportSchema>

/** The query of the live channel's GET: a visitor id kept by the shell, the name chosen on joining, a lead key. */
export const LessonHelloSchema = z.object({
  id: z.string().regex(/^[\w-]{8,64}$/),
  name: z.string().max(60).default(''),
  lead: z.string().max(200).default(''),
})

/** One server-sent event carrying `event`. */
export function encodeLessonEvent(event: LessonEvent): string {
  return `data: ${JSON.stringify(event)}\n\n`
}

/** The events in a chunk of an event stream (with `rest`, an incomplete tail to prepend to the next chunk). */
export function decodeLessonEvents(text: string): { events: LessonEvent[], rest: string } {
  const blocks = text.split('\n\n')
  const rest = blocks.pop() ?? ''
  const events: LessonEvent[] = []
  for (const block of blocks) {
    const data = block.split('\n').filter(line => line.startsWith('data: ')).map(line => line.slice(6)).join('\n')
    if (!data) continue
    let raw: unknown
    try {
      raw = JSON.parse(data)
    }
    catch {
      continue // A broken event is skipped, as EventSource would.
    }
    const parsed = LessonEventSchema.safeParse(raw)
    if (parsed.success) events.push(parsed.data)
  }
  return { events, rest }
}

// Join codes: how a class finds the lesson.

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
