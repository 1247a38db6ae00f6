import { z } from 'zod'

/**
 * The handler sandbox's messages (see PROTOCOL.md, "The handler sandbox"):
 * the studio starts a worker inside an opaque-origin frame by posting the
 * worker's source with one end of a MessageChannel; the frame hands that end
 * to the worker, which speaks the worker protocol on it. The frame reports a
 * worker that failed; nothing else crosses the frame's window.
 */
export const SandboxStartMessageSchema = z.object({ type: z.literal('ps-start'), source: z.string().min(1) })
/** Studio → frame (with the worker's port transferred). */
export type SandboxStartMessage = z.infer<typeof SandboxStartMessageSchema>

/** Frame → studio: the frame is ready for ps-start, or its worker failed. */
export const SandboxFrameMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ps-sandbox-ready') }),
  z.object({ type: z.literal('ps-worker-error'), message: z.string().max(2000) }),
])
export type SandboxFrameMessage = z.infer<typeof SandboxFrameMessageSchema>

/** Frame → worker (with the port transferred): speak the worker protocol on this port. */
export const WorkerPortMessageSchema = z.object({ type: z.literal('ps-port') })
export type WorkerPortMessage = z.infer<typeof WorkerPortMessageSchema>
