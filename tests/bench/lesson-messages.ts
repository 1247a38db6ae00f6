import { z } from 'zod'

// What the lesson bench (lesson.ts) and its peer processes (lesson-peers.ts)
// say to each other: the config in an environment variable, then IPC.

/** Env variable holding a peer process's config as JSON. */
export const LESSON_CONFIG_ENV = 'PS_LESSON_CONFIG'

export const LessonConfigSchema = z.object({
  /** The signaling endpoint, and the Origin a visitor shell of the site would send. */
  signalUrl: z.string(),
  origin: z.string(),
  site: z.string(),
  /** Page URLs each visitor loads in order, `rounds` times. */
  pages: z.array(z.string()),
  rounds: z.number().int().positive(),
  /** Expected body length of every URL the site serves. */
  sizes: z.record(z.string(), z.number()),
  /** Number of the first visitor of this process, and how many it runs. */
  first: z.number().int().nonnegative(),
  visitors: z.number().int().positive(),
})
export type LessonConfig = z.infer<typeof LessonConfigSchema>

export const VisitorReportSchema = z.object({
  visitor: z.number(),
  /** Epoch ms (sub-ms precision) the visitor started connecting, and finished its last page. */
  startedAt: z.number(),
  endedAt: z.number(),
  /** Signaling socket opened to data channel open, ms; null if it never connected. */
  connectMs: z.number().nullable(),
  pages: z.array(z.object({ url: z.string(), ms: z.number() })),
  requests: z.number(),
  bytes: z.number(),
  /** `POST /_ps/lesson` reports the host answered 204 (one after each page, as the shell sends). */
  liveReports: z.number(),
  failures: z.array(z.string()),
})
export type VisitorReport = z.infer<typeof VisitorReportSchema>

/** One visitor's view of one save: epoch ms the `reload` event arrived, and its stylesheet GET ended with the new text; null if not. */
export const FollowRecordSchema = z.object({
  visitor: z.number(),
  save: z.number(),
  reloadAt: z.number().nullable(),
  refreshedAt: z.number().nullable(),
  /** `reload` events that came while no save was due (none should). */
  stray: z.number(),
  failure: z.string().nullable(),
})
export type FollowRecord = z.infer<typeof FollowRecordSchema>

/** Peer process → bench. */
export const PeerEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('done'), reports: z.array(VisitorReportSchema) }),
  z.object({ type: z.literal('expecting'), save: z.number() }),
  z.object({ type: z.literal('followed'), records: z.array(FollowRecordSchema) }),
])
export type PeerEvent = z.infer<typeof PeerEventSchema>

/**
 * Bench → peer process: start at an epoch ms (all processes at once); a save
 * is due whose stylesheet `css` will hold `marker` (each visitor answers
 * `followed` once it saw it, or after `timeoutMs`); close everything and exit.
 */
export const PeerCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), at: z.number() }),
  z.object({ type: z.literal('expect'), save: z.number(), css: z.string(), marker: z.string(), timeoutMs: z.number() }),
  z.object({ type: z.literal('stop') }),
])
export type PeerCommand = z.infer<typeof PeerCommandSchema>
