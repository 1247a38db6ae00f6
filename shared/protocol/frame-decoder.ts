import type { z } from 'zod'
import { describeIssues, type Head } from './heads'
import { FRAME_HEADER_BYTES, FrameError, FrameType, payloadLimit, type Frame } from './frame-types'
import { errorMessage } from '../error-message'

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Decode a HEAD payload and validate it with `schema`; throws FrameError('bad-head') on anything else. */
export function decodeHead<H>(bytes: Uint8Array, schema: z.ZodType<H>): H {
  let json: unknown
  try {
    json = JSON.parse(utf8.decode(bytes))
  }
  catch (error) {
    throw new FrameError('bad-head', `head is not UTF-8 JSON: ${errorMessage(error)}`)
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) throw new FrameError('bad-head', `bad head: ${describeIssues(parsed.error)}`)
  return parsed.data
}

function resetFrame(stream: number, payload: Uint8Array): Frame<never> {
  if (payload.byteLength < 2) throw new FrameError('bad-payload', 'RESET needs a u16 code')
  let reason: string
  try {
    reason = utf8.decode(payload.subarray(2))
  }
  catch {
    throw new FrameError('bad-payload', 'RESET reason is not UTF-8')
  }
  return { type: FrameType.RESET, stream, code: new DataView(payload.buffer, payload.byteOffset, 2).getUint16(0), reason }
}

function windowFrame(stream: number, payload: Uint8Array): Frame<never> {
  if (payload.byteLength !== 4) throw new FrameError('bad-payload', 'WINDOW carries a u32 credit')
  const credit = new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0)
  if (credit === 0) throw new FrameError('bad-payload', 'WINDOW credit is 0')
  return { type: FrameType.WINDOW, stream, credit }
}

function frameFrom<H extends Head>(type: number, stream: number, payload: Uint8Array, headSchema: z.ZodType<H>): Frame<H> {
  switch (type) {
    case FrameType.HEAD: return { type, stream, head: decodeHead(payload, headSchema) }
    case FrameType.DATA: return { type, stream, data: payload }
    case FrameType.END:
      if (payload.byteLength !== 0) throw new FrameError('bad-payload', 'END carries no payload')
      return { type, stream }
    case FrameType.RESET: return resetFrame(stream, payload)
    case FrameType.WINDOW: return windowFrame(stream, payload)
    default: throw new FrameError('unknown-type', `unknown frame type ${type}`)
  }
}

/** Check a frame header as soon as it is complete, so garbage fails before its "payload" arrives. */
function checkHeader(type: number, length: number): void {
  if (type < FrameType.HEAD || type > FrameType.WINDOW) throw new FrameError('unknown-type', `unknown frame type ${type}`)
  const limit = payloadLimit(type)
  if (length > limit) throw new FrameError('too-long', `frame length ${length} is over ${limit}`)
}

/**
 * Decodes frames from byte chunks of any size: a chunk may hold several
 * frames and a frame may be split across chunks. Only a split frame is
 * copied (once, when complete); DATA payloads are views of the chunks, so a
 * caller must not reuse a chunk's memory. HEAD payloads are validated with
 * `headSchema`. Throws FrameError on garbage, and again on every later call.
 */
export class FrameDecoder<H extends Head = Head> {
  private held: Uint8Array[] = []
  private heldBytes = 0
  private failure: FrameError | null = null

  constructor(private readonly headSchema: z.ZodType<H>) {}

  /** Feed a chunk; returns the frames it completes, in order. */
  push(chunk: Uint8Array): Array<Frame<H>> {
    if (this.failure) throw this.failure
    try {
      return this.decode(chunk)
    }
    catch (error) {
      if (error instanceof FrameError) this.failure = error
      throw error
    }
  }

  /** The input is over: throws FrameError('truncated') if an unfinished frame is held. */
  end(): void {
    if (this.heldBytes > 0) throw new FrameError('truncated', `the input ended inside a frame (${this.heldBytes} bytes held)`)
  }

  /** Bytes of an unfinished frame held back. */
  get buffered(): number {
    return this.heldBytes
  }

  private decode(chunk: Uint8Array): Array<Frame<H>> {
    const frames: Array<Frame<H>> = []
    let rest = chunk
    if (this.heldBytes > 0) {
      const before = this.heldBytes
      this.held.push(chunk)
      this.heldBytes += chunk.byteLength
      const needed = this.neededBytes()
      if (this.heldBytes < needed) return frames
      // `before < needed`: what was held is never a whole frame. Copy just the split frame.
      this.held[this.held.length - 1] = chunk.subarray(0, needed - before)
      const whole = concat(this.held, needed)
      this.held = []
      this.heldBytes = 0
      this.decodeWhole(whole, frames)
      rest = chunk.subarray(needed - before)
    }
    const used = this.decodeWhole(rest, frames)
    if (used < rest.byteLength) {
      this.held = [rest.subarray(used)]
      this.heldBytes = rest.byteLength - used
    }
    return frames
  }

  /** Decode the whole frames at the start of `buffer` into `out`; returns the bytes they took. */
  private decodeWhole(buffer: Uint8Array, out: Array<Frame<H>>): number {
    const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    let offset = 0
    while (buffer.byteLength - offset >= FRAME_HEADER_BYTES) {
      const type = view.getUint8(offset)
      const length = view.getUint32(offset + 5)
      checkHeader(type, length)
      const end = offset + FRAME_HEADER_BYTES + length
      if (end > buffer.byteLength) break
      out.push(frameFrom(type, view.getUint32(offset + 1), buffer.subarray(offset + FRAME_HEADER_BYTES, end), this.headSchema))
      offset = end
    }
    return offset
  }

  /** Bytes the held frame needs in all: its header, then header and payload. */
  private neededBytes(): number {
    if (this.heldBytes < FRAME_HEADER_BYTES) return FRAME_HEADER_BYTES
    const header = concat(this.held, FRAME_HEADER_BYTES)
    const view = new DataView(header.buffer)
    const length = view.getUint32(5)
    checkHeader(view.getUint8(0), length)
    return FRAME_HEADER_BYTES + length
  }
}

/** The first `size` bytes of `chunks`, copied into one array. */
function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    if (offset >= size) break
    const part = chunk.subarray(0, size - offset)
    out.set(part, offset)
    offset += part.byteLength
  }
  return out
}
