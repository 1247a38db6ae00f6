// What travels between instances: a JSON head and, for relay frames, the
// frame's bytes unchanged (no base64): [u32 head length, big-endian][head,
// UTF-8 JSON][body]. The receiver validates the head with its own schema.

const utf8 = new TextEncoder()
const text = new TextDecoder('utf-8', { fatal: true })

/** An envelope of `head` (JSON-serialisable) and `body`. */
export function encodeEnvelope(head: unknown, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = utf8.encode(JSON.stringify(head))
  const bytes = new Uint8Array(4 + json.length + body.length)
  new DataView(bytes.buffer).setUint32(0, json.length)
  bytes.set(json, 4)
  bytes.set(body, 4 + json.length)
  return bytes
}

/** The head (parsed JSON, unvalidated) and body of an envelope, or null when it is not one. */
export function decodeEnvelope(bytes: Uint8Array): { head: unknown, body: Uint8Array } | null {
  if (bytes.length < 4) return null
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0)
  if (4 + length > bytes.length) return null
  try {
    return { head: JSON.parse(text.decode(bytes.subarray(4, 4 + length))), body: bytes.subarray(4 + length) }
  }
  catch {
    // Not UTF-8 or not JSON: not an envelope of ours, which the caller drops and logs.
    return null
  }
}
