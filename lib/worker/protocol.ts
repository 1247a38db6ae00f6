import { z } from 'zod'
import { RpcCallSchema, RpcFailureSchema } from './rpc-schema'
import { HeaderListSchema } from '../../shared/protocol/heads'
import { AuthorErrorSchema, BytesSchema, IdSchema, RequestLogSchema } from './schemas'

/*
 * The wire between the host page and the worker that runs a site's handlers.
 * Both sides safeParse every message they receive; ids are the sender's own.
 *
 * page → worker: `init` once (the session secret), then `request`s;
 *   `files-changed` and `db-changed` as the site's files and database change. A
 *   `response` with `stream: true` is followed by one `chunk` per `pull`,
 *   then `end` or `stream-error`; the page sends `cancel` when the visitor
 *   goes away. `abort` aborts a request's `signal`.
 * worker → page: `rpc` calls for files, database and sessions, answered by
 *   `rpc-result` or `rpc-error` with the same id; `log` for every answered
 *   request (console lines and author errors included); `stray` for an error
 *   a handler left behind after answering (a timer that throws).
 *
 * Headers follow the tunnel's rules (HeaderListSchema, at most 256 pairs):
 * requests come from it, and a response the tunnel could not carry is
 * answered with a 500 in the worker, never posted.
 */

/** Sent once, first: what the worker needs to build the site's server. */
/** Most paths one `files-changed` lists; past it the page says "everything" (a folder moved). */
export const MAX_CHANGED_PATHS = 1000

export const InitMessageSchema = z.object({
  type: z.literal('init'),
  secret: z.union([z.string(), z.instanceof(Uint8Array)]),
  /** Whether the site has a database (else `db` in handlers says so on use). */
  db: z.boolean(),
  /** The page tells the worker which files change (`files-changed`), so the worker may keep what it learnt of them. */
  filesChange: z.boolean().optional(),
  /** The page tells the worker which collections change (`db-changed`), so the worker may keep database answers (db-cache.ts). */
  dbChange: z.boolean().optional(),
})

/** A visitor's request; the body is transferred. */
export const RequestMessageSchema = z.object({
  type: z.literal('request'),
  id: IdSchema,
  method: z.string(),
  url: z.string(),
  headers: HeaderListSchema,
  body: BytesSchema.nullable(),
})

/** Everything the page sends to the worker. */
export const PageMessageSchema = z.discriminatedUnion('type', [
  InitMessageSchema,
  RequestMessageSchema,
  z.object({ type: z.literal('abort'), id: IdSchema }),
  // Files changed on the page (null: too many to list, forget everything).
  z.object({ type: z.literal('files-changed'), paths: z.array(z.string()).max(MAX_CHANGED_PATHS).nullable() }),
  // Collections changed on the page (null: too many to list, forget every answer).
  z.object({ type: z.literal('db-changed'), collections: z.array(z.string()).max(MAX_CHANGED_PATHS).nullable() }),
  z.object({ type: z.literal('pull'), id: IdSchema }),
  z.object({ type: z.literal('cancel'), id: IdSchema, reason: z.string() }),
  z.object({ type: z.literal('rpc-result'), id: IdSchema, value: z.unknown() }),
  z.object({ type: z.literal('rpc-error'), id: IdSchema, error: RpcFailureSchema }),
])
export type PageMessage = z.infer<typeof PageMessageSchema>

/** The head of a response, and its body unless `stream` says chunks follow. */
export const ResponseMessageSchema = z.object({
  type: z.literal('response'),
  id: IdSchema,
  status: z.number().int().min(100).max(999),
  statusText: z.string().optional(),
  headers: HeaderListSchema,
  body: BytesSchema.nullable(),
  stream: z.boolean(),
})

/** Everything the worker sends to the page. */
export const WorkerMessageSchema = z.discriminatedUnion('type', [
  ResponseMessageSchema,
  z.object({ type: z.literal('chunk'), id: IdSchema, data: BytesSchema }),
  z.object({ type: z.literal('end'), id: IdSchema }),
  z.object({ type: z.literal('stream-error'), id: IdSchema, message: z.string() }),
  z.object({ type: z.literal('rpc'), id: IdSchema, call: RpcCallSchema }),
  z.object({ type: z.literal('log'), entry: RequestLogSchema }),
  z.object({ type: z.literal('stray'), error: AuthorErrorSchema }),
])
export type WorkerMessage = z.infer<typeof WorkerMessageSchema>

/** Copy bytes into an ArrayBuffer of their own, fit to be transferred (the source may be shared or cached). */
export function toTransferable(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength)
  copy.set(bytes)
  return copy.buffer
}
