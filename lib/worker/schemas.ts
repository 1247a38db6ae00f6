import { z } from 'zod'
import type { DbDocument, Filter, JsonValue, UpdatePatch } from '../vserver/db'
import { CONSOLE_LEVELS } from '../vserver/event/console'

/** A message or RPC id: unique per sender and worker. */
export const IdSchema = z.number().int().nonnegative()

/** Bytes crossing postMessage; transferred, so the sender gives them up. */
export const BytesSchema = z.instanceof(ArrayBuffer)

/** A JSON value as the database stores it. */
export const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() => z.union([
  z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValueSchema), z.record(z.string(), JsonValueSchema),
]))

/** A stored document: a JSON object with a string `_id`. */
export const DbDocumentSchema: z.ZodType<DbDocument> = z.record(z.string(), JsonValueSchema)
  .and(z.object({ _id: z.string() }))

/** A query filter; the database itself checks the operators. */
export const FilterSchema: z.ZodType<Filter> = z.lazy(() => z.looseObject({
  $and: z.array(FilterSchema).optional(),
  $or: z.array(FilterSchema).optional(),
}))

/** Options of `find` (and `findOne`, without `limit`). */
export const FindOptionsSchema = z.object({
  sort: z.record(z.string(), z.union([z.literal(1), z.literal(-1)])).optional(),
  limit: z.number().optional(),
  skip: z.number().optional(),
  fields: z.array(z.string()).optional(),
})

/** A patch for `update`: a shallow merge or operators. */
export const UpdatePatchSchema: z.ZodType<UpdatePatch> = z.looseObject({
  $set: z.record(z.string(), z.unknown()).optional(),
  $unset: z.union([z.record(z.string(), z.unknown()), z.array(z.string())]).optional(),
  $inc: z.record(z.string(), z.number()).optional(),
  $push: z.record(z.string(), z.unknown()).optional(),
})

/** Metadata of a site file. */
export const FileEntrySchema = z.object({ path: z.string(), size: z.number(), etag: z.string(), mtime: z.number() })

/** Session data: a plain object, structured-cloned. */
export const SessionDataSchema = z.record(z.string(), z.unknown())

/** An error as the author sees it: message, stack in site paths, file and line. */
export const AuthorErrorSchema = z.object({
  message: z.string(),
  stack: z.string().optional(),
  file: z.string().optional(),
  line: z.number().optional(),
  column: z.number().optional(),
})

/** One line a handler logged with `console.*`. */
export const ConsoleLineSchema = z.object({ level: z.enum(CONSOLE_LEVELS), text: z.string(), time: z.number() })

/** One answered request, for the author's request log (`RequestLog` of the virtual server). */
export const RequestLogSchema = z.object({
  method: z.string(),
  url: z.string(),
  status: z.number().int(),
  durationMs: z.number(),
  route: z.string().optional(),
  console: z.array(ConsoleLineSchema),
  error: AuthorErrorSchema.optional(),
})
