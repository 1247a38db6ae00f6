import { z } from 'zod'

// Data-channel framing (PROTOCOL.md, "Data-channel framing"): every frame is
// a 9-byte header — u8 type, u32 stream id, u32 payload length, big-endian —
// then the payload. One transport message may carry several frames.

/** Frame types. */
export const FrameType = { HEAD: 1, DATA: 2, END: 3, RESET: 4, WINDOW: 5 } as const
/** A frame type number. */
export type FrameTypeNumber = typeof FrameType[keyof typeof FrameType]

/** Bytes of a frame header. */
export const FRAME_HEADER_BYTES = 9
/** Largest DATA payload (and largest payload of any frame but HEAD). */
export const MAX_FRAME_PAYLOAD = 64 * 1024
/** Largest HEAD payload (JSON of method, url and headers). */
export const MAX_HEAD_BYTES = 256 * 1024

/** RESET codes. */
export const ResetCode = { CANCEL: 1, INTERNAL: 2, PROTOCOL: 3, TIMEOUT: 4, GOING_AWAY: 5, TOO_LARGE: 6 } as const

const HeaderListSchema = z.array(z.tuple([z.string().max(1024), z.string().max(64 * 1024)])).max(256)

/** A request head: what the visitor asks for. */
export const RequestHeadSchema = z.object({
  method: z.string().regex(/^[A-Z][A-Z-]{0,15}$/, 'the method is an upper-case token'),
  url: z.string().startsWith('/', 'the url is a path').max(8192),
  headers: HeaderListSchema,
})
/** A response head: what the host answers. */
export const ResponseHeadSchema = z.object({
  status: z.number().int().min(100).max(599),
  statusText: z.string().max(256).optional(),
  headers: HeaderListSchema,
})
/** A request head. */
export type RequestHead = z.infer<typeof RequestHeadSchema>
/** A response head. */
export type ResponseHead = z.infer<typeof ResponseHeadSchema>

/** One decoded frame. HEAD payloads stay raw here; the side that expects a head validates it. */
export type Frame =
  | { type: typeof FrameType.HEAD, stream: number, head: Uint8Array }
  | { type: typeof FrameType.DATA, stream: number, data: Uint8Array }
  | { type: typeof FrameType.END, stream: number }
  | { type: typeof FrameType.RESET, stream: number, code: number, reason: string }
  | { type: typeof FrameType.WINDOW, stream: number, credit: number }

/** Input the framing refuses: the connection is broken and should be closed. */
export class FrameError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FrameError'
  }
}

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/** The payload a frame carries on the wire. */
function payloadOf(frame: Frame): Uint8Array {
  switch (frame.type) {
    case FrameType.HEAD: return frame.head
    case FrameType.DATA: return frame.data
    case FrameType.END: return new Uint8Array(0)
    case FrameType.RESET: {
      const reason = encoder.encode(frame.reason.slice(0, 1000))
      const out = new Uint8Array(2 + reason.byteLength)
      new DataView(out.buffer).setUint16(0, frame.code)
      out.set(reason, 2)
      return out
    }
    case FrameType.WINDOW: {
      const out = new Uint8Array(4)
      new DataView(out.buffer).setUint32(0, frame.credit)
      return out
    }
    default: {
      const never: never = frame
      throw new FrameError(`unknown frame ${JSON.stringify(never)}`)
    }
  }
}

/** Bytes `frame` takes on the wire. */
export function frameSize(frame: Frame): number {
  if (frame.type === FrameType.HEAD) return FRAME_HEADER_BYTES + frame.head.byteLength
  if (frame.type === FrameType.DATA) return FRAME_HEADER_BYTES + frame.data.byteLength
  return FRAME_HEADER_BYTES + payloadOf(frame).byteLength
}

/** Write `frame` into `target` at `offset`; returns the offset after it. */
export function writeFrame(frame: Frame, target: Uint8Array, offset: number): number {
  const payload = payloadOf(frame)
  const limit = frame.type === FrameType.HEAD ? MAX_HEAD_BYTES : MAX_FRAME_PAYLOAD
  if (payload.byteLength > limit) throw new FrameError(`frame payload of ${payload.byteLength} bytes is over ${limit}`)
  if (!Number.isInteger(frame.stream) || frame.stream < 0 || frame.stream > 0xFFFFFFFF) throw new FrameError(`bad stream id ${frame.stream}`)
  const view = new DataView(target.buffer, target.byteOffset + offset, FRAME_HEADER_BYTES)
  view.setUint8(0, frame.type)
  view.setUint32(1, frame.stream)
  view.setUint32(5, payload.byteLength)
  target.set(payload, offset + FRAME_HEADER_BYTES)
  return offset + FRAME_HEADER_BYTES + payload.byteLength
}

/** Encode one frame as one message. */
export function encodeFrame(frame: Frame): Uint8Array {
  const out = new Uint8Array(frameSize(frame))
  writeFrame(frame, out, 0)
  return out
}

/** Encode a head (request or response) as HEAD payload bytes. */
export function encodeHead(head: RequestHead | ResponseHead): Uint8Array {
  return encoder.encode(JSON.stringify(head))
}

/** Decode and validate a HEAD payload with `schema`; throws FrameError on anything else. */
export function decodeHead<T>(bytes: Uint8Array, schema: z.ZodType<T>): T {
  let json: unknown
  try {
    json = JSON.parse(decoder.decode(bytes))
  }
  catch (error) {
    throw new FrameError(`head is not UTF-8 JSON: ${error instanceof Error ? error.message : String(error)}`)
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) throw new FrameError(`bad head: ${parsed.error.issues.map(i => `${i.path.join('.')} ${i.message}`).join('; ')}`)
  return parsed.data
}

function frameFrom(type: number, stream: number, payload: Uint8Array): Frame {
  switch (type) {
    case FrameType.HEAD: return { type, stream, head: payload }
    case FrameType.DATA: return { type, stream, data: payload }
    case FrameType.END:
      if (payload.byteLength !== 0) throw new FrameError('END carries no payload')
      return { type, stream }
    case FrameType.RESET: {
      if (payload.byteLength < 2) throw new FrameError('RESET needs a code')
      const code = new DataView(payload.buffer, payload.byteOffset, 2).getUint16(0)
      let reason: string
      try {
        reason = decoder.decode(payload.subarray(2))
      }
      catch {
        throw new FrameError('RESET reason is not UTF-8')
      }
      return { type, stream, code, reason }
    }
    case FrameType.WINDOW:
      if (payload.byteLength !== 4) throw new FrameError('WINDOW carries a u32 credit')
      return { type, stream, credit: new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0) }
    default:
      throw new FrameError(`unknown frame type ${type}`)
  }
}

/**
 * Decodes frames from byte chunks of any size: a frame may be split across
 * chunks and a chunk may hold several frames. Throws FrameError on garbage.
 */
export class FrameDecoder {
  private pending: Uint8Array = new Uint8Array(0)

  /** Feed a chunk; returns the frames it completes. */
  push(chunk: Uint8Array): Frame[] {
    let buffer = chunk
    if (this.pending.byteLength > 0) {
      buffer = new Uint8Array(this.pending.byteLength + chunk.byteLength)
      buffer.set(this.pending)
      buffer.set(chunk, this.pending.byteLength)
    }
    const frames: Frame[] = []
    let offset = 0
    while (buffer.byteLength - offset >= FRAME_HEADER_BYTES) {
      const view = new DataView(buffer.buffer, buffer.byteOffset + offset, FRAME_HEADER_BYTES)
      const type = view.getUint8(0)
      const stream = view.getUint32(1)
      const length = view.getUint32(5)
      if (type < FrameType.HEAD || type > FrameType.WINDOW) throw new FrameError(`unknown frame type ${type}`)
      const limit = type === FrameType.HEAD ? MAX_HEAD_BYTES : MAX_FRAME_PAYLOAD
      if (length > limit) throw new FrameError(`frame length ${length} is over ${limit}`)
      if (buffer.byteLength - offset < FRAME_HEADER_BYTES + length) break
      const start = offset + FRAME_HEADER_BYTES
      frames.push(frameFrom(type, stream, buffer.subarray(start, start + length)))
      offset = start + length
    }
    // Keep only the unfinished tail (a copy, so a whole chunk is not pinned by a small remainder).
    this.pending = offset === buffer.byteLength ? new Uint8Array(0) : buffer.slice(offset)
    return frames
  }

  /** Bytes of an unfinished frame held back. */
  get buffered(): number {
    return this.pending.byteLength
  }
}
