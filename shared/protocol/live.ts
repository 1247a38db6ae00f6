import { z } from 'zod'

/**
 * The live channel between a host and each visitor shell, inside the tunnel:
 * the shell opens `GET /_ps/live?id=&name=&lead=` (a server-sent event
 * stream, one JSON `LiveEvent` per `data:` line) and reports where it is with
 * `POST /_ps/live` (a JSON `LiveReport`). The site never sees these paths.
 */
export const LIVE_PATH = '/_ps/live'

const Path = z.string().min(1).max(2000).startsWith('/')
/** How far down the page, 0 (top) to 1 (bottom): the same spot on screens of any height. */
const Scroll = z.number().min(0).max(1)

export const LiveEventSchema = z.discriminatedUnion('type', [
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
export type LiveEvent = z.infer<typeof LiveEventSchema>

export const LiveReportSchema = z.object({ path: Path, scroll: Scroll })
/** Where a visitor is, visitor → host (a leader's reports lead the followers). */
export type LiveReport = z.infer<typeof LiveReportSchema>

/** The query of the live channel's GET: a visitor id kept by the shell, the name chosen on joining, a lead key. */
export const LiveHelloSchema = z.object({
  id: z.string().regex(/^[\w-]{8,64}$/),
  name: z.string().max(60).default(''),
  lead: z.string().max(200).default(''),
})

/** One server-sent event carrying `event`. */
export function encodeLiveEvent(event: LiveEvent): string {
  return `data: ${JSON.stringify(event)}\n\n`
}

/** The events in a chunk of an event stream (with `rest`, an incomplete tail to prepend to the next chunk). */
export function decodeLiveEvents(text: string): { events: LiveEvent[], rest: string } {
  const blocks = text.split('\n\n')
  const rest = blocks.pop() ?? ''
  const events: LiveEvent[] = []
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
    const parsed = LiveEventSchema.safeParse(raw)
    if (parsed.success) events.push(parsed.data)
  }
  return { events, rest }
}
