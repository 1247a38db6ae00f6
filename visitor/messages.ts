import { z } from 'zod'
import { RequestHeadSchema, ResponseHeadSchema } from '../shared/protocol/frames'

/** An id of a request on a shell's line (visitor/shell-line.ts): its reply carries it back. */
const LineIdSchema = z.number().int().nonnegative()

/** Service worker → shell: tunnel this request; the reply comes on the transferred port, or on the shell's line with the same `id`. */
export const TunnelRequestMessageSchema = z.object({
  type: z.literal('ps-request'),
  id: LineIdSchema.optional(),
  head: RequestHeadSchema,
  body: z.instanceof(ArrayBuffer).nullable(),
})
export type TunnelRequestMessage = z.infer<typeof TunnelRequestMessageSchema>

/** Shell → service worker, on the request's port: the response, or why there is none. */
export const TunnelReplyMessageSchema = z.discriminatedUnion('type', [
  // Small bodies travel whole; large or open-ended ones stream on a port of their own (visitor/body-port.ts).
  z.object({ type: z.literal('ps-response'), id: LineIdSchema.optional(), head: ResponseHeadSchema, body: z.union([z.instanceof(ArrayBuffer), z.instanceof(MessagePort)]).nullable() }),
  z.object({ type: z.literal('ps-error'), id: LineIdSchema.optional(), status: z.number().int().min(400).max(599), message: z.string() }),
])
export type TunnelReplyMessage = z.infer<typeof TunnelReplyMessageSchema>

/** Shell → service worker: this shell is going away (`pagehide`), so the worker stops sending it requests. */
export const ShellByeMessageSchema = z.object({ type: z.literal('ps-bye') })
export type ShellByeMessage = z.infer<typeof ShellByeMessageSchema>

/** Shell → service worker, with a port: the shell's line, on which requests and replies go from now on (visitor/shell-line.ts). */
export const ShellLineMessageSchema = z.object({ type: z.literal('ps-line') })
export type ShellLineMessage = z.infer<typeof ShellLineMessageSchema>

/** What a shell sends its service worker. */
export const ShellMessageSchema = z.discriminatedUnion('type', [ShellByeMessageSchema, ShellLineMessageSchema])

/** A message on a shell's line, shell → worker: a reply, which names its request. */
export const LineReplyIdSchema = z.object({ id: LineIdSchema })

/** Body port, shell → service worker: the body's chunks, then its end or why it failed. */
export const BodyDataMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('chunk'), data: z.instanceof(ArrayBuffer) }),
  z.object({ t: z.literal('end') }),
  z.object({ t: z.literal('error'), message: z.string() }),
])
export type BodyDataMessage = z.infer<typeof BodyDataMessageSchema>

/** Body port, service worker → shell: more credit as its reader consumes, or stop. */
export const BodyFlowMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('credit'), bytes: z.number().positive('credit is a positive number of bytes') }),
  z.object({ t: z.literal('cancel') }),
])
export type BodyFlowMessage = z.infer<typeof BodyFlowMessageSchema>
