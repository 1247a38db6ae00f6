import { z } from 'zod'

// HEAD frame payloads (PROTOCOL.md, "Data-channel framing"): UTF-8 JSON of a
// request head (visitor → host) or a response head (host → visitor).

/** Largest HEAD payload in bytes (JSON of method, url and headers). */
export const MAX_HEAD_BYTES = 256 * 1024
/** Most header pairs in one head. */
export const MAX_HEADERS = 256

/** Headers as they travel: `[name, value]` pairs, so `Set-Cookie` can repeat. */
export const HeaderListSchema = z.array(z.tuple([z.string().max(1024), z.string().max(64 * 1024)])).max(MAX_HEADERS)

/** A request head: what the visitor asks for. */
export const RequestHeadSchema = z.object({
  method: z.string().regex(/^[A-Z][A-Z-]{0,15}$/, 'the method is an upper-case token of at most 16 characters'),
  url: z.string().startsWith('/', 'the url is a path').max(8192),
  headers: HeaderListSchema,
})
/** A response head: what the host answers. */
export const ResponseHeadSchema = z.object({
  status: z.number().int().min(100).max(599),
  statusText: z.string().max(256).optional(),
  headers: HeaderListSchema,
})
/** Either head, for a decoder that does not know which side it is on. */
export const HeadSchema = z.union([RequestHeadSchema, ResponseHeadSchema])

/** A request head. */
export type RequestHead = z.infer<typeof RequestHeadSchema>
/** A response head. */
export type ResponseHead = z.infer<typeof ResponseHeadSchema>
/** A request or a response head. */
export type Head = RequestHead | ResponseHead

/** Why a head was refused, in one line: `path message; path message`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map(issue => `${issue.path.join('.') || '(root)'} ${issue.message}`).join('; ')
}
