import { z } from 'zod'
import {
  BytesSchema, DbDocumentSchema, FileEntrySchema, FilterSchema, FindOptionsSchema, SessionDataSchema, UpdatePatchSchema,
} from './schemas'

const collection = z.string()
const target = z.union([z.string(), FilterSchema])
const DocumentInputSchema = z.record(z.string(), z.unknown())

/**
 * What the worker asks the page for: the site's files, its database (which
 * lives on the page, later in the site's Yjs document) and its sessions
 * (which must outlive a replaced worker). One variant per method.
 */
export const RpcCallSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('files.stat'), path: z.string() }),
  /** `etag` is the version the worker holds: the page answers `unchanged` instead of sending it again. */
  z.object({ method: z.literal('files.read'), path: z.string(), etag: z.string().optional() }),
  z.object({ method: z.literal('files.list'), prefix: z.string().optional() }),
  z.object({ method: z.literal('db.collections') }),
  z.object({ method: z.literal('db.drop'), name: z.string() }),
  z.object({ method: z.literal('db.insert'), collection, docs: z.union([DocumentInputSchema, z.array(DocumentInputSchema)]) }),
  z.object({ method: z.literal('db.get'), collection, id: z.string() }),
  z.object({ method: z.literal('db.find'), collection, filter: FilterSchema.optional(), options: FindOptionsSchema.optional() }),
  z.object({ method: z.literal('db.findOne'), collection, filter: FilterSchema.optional(), options: FindOptionsSchema.omit({ limit: true }).optional() }),
  z.object({
    method: z.literal('db.update'), collection, target, patch: UpdatePatchSchema,
    options: z.object({ multi: z.boolean().optional() }).optional(),
  }),
  z.object({ method: z.literal('db.remove'), collection, target }),
  z.object({ method: z.literal('db.count'), collection, filter: FilterSchema.optional() }),
  z.object({ method: z.literal('sessions.get'), sid: z.string() }),
  z.object({ method: z.literal('sessions.set'), sid: z.string(), data: SessionDataSchema }),
  z.object({ method: z.literal('sessions.delete'), sid: z.string() }),
])
export type RpcCall = z.infer<typeof RpcCallSchema>
export type RpcMethod = RpcCall['method']

/** `files.read`'s answer: no file, the version the worker has, or the content. */
export const FileReadResultSchema = z.union([
  z.null(),
  z.object({ etag: z.string(), unchanged: z.literal(true) }),
  z.object({ etag: z.string(), data: BytesSchema }),
])
export type FileReadResult = z.infer<typeof FileReadResultSchema>

/** The shape of each method's answer, checked by the worker when it arrives. */
export const RPC_RESULTS = {
  'files.stat': FileEntrySchema.nullable(),
  'files.read': FileReadResultSchema,
  'files.list': z.array(FileEntrySchema),
  'db.collections': z.array(z.string()),
  'db.drop': z.boolean(),
  'db.insert': z.union([DbDocumentSchema, z.array(DbDocumentSchema)]),
  'db.get': DbDocumentSchema.nullable(),
  'db.find': z.array(DbDocumentSchema),
  'db.findOne': DbDocumentSchema.nullable(),
  'db.update': z.number(),
  'db.remove': z.number(),
  'db.count': z.number(),
  'sessions.get': SessionDataSchema.nullable(),
  'sessions.set': z.null(),
  'sessions.delete': z.null(),
} as const satisfies Record<RpcMethod, z.ZodType>

/** A failed call, as the worker rethrows it: `status` makes it a `VServerError` (e.g. a 400 from the database). */
export const RpcFailureSchema = z.object({ name: z.string(), message: z.string(), status: z.number().int().optional() })
export type RpcFailure = z.infer<typeof RpcFailureSchema>
