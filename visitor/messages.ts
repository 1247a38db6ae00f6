import { z } from 'zod'
import { RequestHeadSchema, ResponseHeadSchema } from '../shared/protocol/frames'

/** Service worker → shell: tunnel this request; the reply comes on the transferred port. */
export const TunnelRequestMessageSchema = z.object({
  type: z.literal('ps-request'),
  head: RequestHeadSchema,
  body: z.instanceof(ArrayBuffer).nullable(),
})
export type TunnelRequestMessage = z.infer<typeof TunnelRequestMessageSchema>

/** Shell → service worker, on the request's port: the response, or why there is none. */
export const TunnelReplyMessageSchema = z.discriminatedUnion('type', [
  // Small bodies travel whole; large or open-ended ones stream on a port of their own (lib/visitor/body-port.ts).
  z.object({ type: z.literal('ps-response'), head: ResponseHeadSchema, body: z.union([z.instanceof(ArrayBuffer), z.instanceof(MessagePort)]).nullable() }),
  z.object({ type: z.literal('ps-error'), status: z.number().int().min(400).max(599), message: z.string() }),
])
export type TunnelReplyMessage = z.infer<typeof TunnelReplyMessageSchema>
