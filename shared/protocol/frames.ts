import { describeIssues, RequestHeadSchema, ResponseHeadSchema, type Head } from './heads'
import { FRAME_HEADER_BYTES, FrameError, FrameType, payloadLimit, type Frame, type WireFrame } from './frame-types'

// Data-channel framing (PROTOCOL.md, "Data-channel framing"): every frame is
// a 9-byte header — u8 type, u32 stream id, u32 payload length, big-endian —
// then the payload. One transport message may carry several frames, and a
// frame may be split across messages. This file encodes; frame-decoder.ts
// decodes; both are exported from here.

export * from './heads'
export * from './frame-types'
export { decodeHead, FrameDecoder } from './frame-decoder'

const encoder = new TextEncoder()
const MAX_REASON_CHARS = 1000

function isU32(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 0xFFFF_FFFF
}

/** Encode a head as HEAD payload bytes, validated first so a bad head fails here, not at the peer. */
export function encodeHead(head: Head): Uint8Array {
  const parsed = 'method' in head ? RequestHeadSchema.safeParse(head) : ResponseHeadSchema.safeParse(head)
  if (!parsed.success) throw new FrameError('bad-head', `bad head: ${describeIssues(parsed.error)}`)
  return encoder.encode(JSON.stringify(parsed.data))
}

function u32Payload(value: number): Uint8Array {
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, value)
  return out
}

function resetPayload(code: number, reason: string): Uint8Array {
  if (!Number.isInteger(code) || code < 0 || code > 0xFFFF) throw new FrameError('bad-frame', `RESET code ${code} is not a u16`)
  const text = encoder.encode(reason.slice(0, MAX_REASON_CHARS))
  const out = new Uint8Array(2 + text.byteLength)
  new DataView(out.buffer).setUint16(0, code)
  out.set(text, 2)
  return out
}

function payloadOf(frame: Frame): Uint8Array {
  switch (frame.type) {
    case FrameType.HEAD: return encodeHead(frame.head)
    case FrameType.DATA: return frame.data
    case FrameType.END: return new Uint8Array(0)
    case FrameType.RESET: return resetPayload(frame.code, frame.reason)
    case FrameType.WINDOW:
      if (!isU32(frame.credit) || frame.credit === 0) throw new FrameError('bad-frame', `WINDOW credit ${frame.credit} is not a positive u32`)
      return u32Payload(frame.credit)
    default: {
      const never: never = frame
      throw new FrameError('unknown-type', `unknown frame ${JSON.stringify(never)}`)
    }
  }
}

/** Check `frame` and turn it into header fields and payload bytes (DATA payloads are not copied). */
export function toWire(frame: Frame): WireFrame {
  if (!isU32(frame.stream)) throw new FrameError('bad-frame', `stream id ${frame.stream} is not a u32`)
  const payload = payloadOf(frame)
  const limit = payloadLimit(frame.type)
  if (payload.byteLength > limit) throw new FrameError('too-long', `frame payload of ${payload.byteLength} bytes is over ${limit}`)
  return { type: frame.type, stream: frame.stream, payload }
}

/** Write the 9-byte header of `wire` into `target` at `offset`. */
export function writeFrameHeader(wire: WireFrame, target: Uint8Array, offset: number): void {
  const view = new DataView(target.buffer, target.byteOffset + offset, FRAME_HEADER_BYTES)
  view.setUint8(0, wire.type)
  view.setUint32(1, wire.stream)
  view.setUint32(5, wire.payload.byteLength)
}

/** Encode several frames into one message (the only copy of DATA payloads). */
export function encodeFrames(frames: readonly Frame[]): Uint8Array {
  const wires = frames.map(toWire)
  const out = new Uint8Array(wires.reduce((size, wire) => size + FRAME_HEADER_BYTES + wire.payload.byteLength, 0))
  let offset = 0
  for (const wire of wires) {
    writeFrameHeader(wire, out, offset)
    out.set(wire.payload, offset + FRAME_HEADER_BYTES)
    offset += FRAME_HEADER_BYTES + wire.payload.byteLength
  }
  return out
}

/** Encode one frame. Throws FrameError for a frame that may not go on the wire. */
export function encodeFrame(frame: Frame): Uint8Array {
  return encodeFrames([frame])
}

