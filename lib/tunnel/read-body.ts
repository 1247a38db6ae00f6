/**
 * `body` read to its end, at most `limit` bytes: past that the reader is
 * cancelled and an Error says `<what> over <limit> bytes`. One chunk is returned as it is (no copy);
 * several are joined. The host collects request bodies with it, the visitor
 * shell small response bodies.
 */
export async function readBody(body: ReadableStream<Uint8Array>, limit = Number.POSITIVE_INFINITY, what = 'body'): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel()
      throw new Error(`${what} over ${limit} bytes`)
    }
    chunks.push(value)
  }
  if (chunks.length === 1 && chunks[0]) return chunks[0]
  const all = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    all.set(chunk, offset)
    offset += chunk.byteLength
  }
  return all
}
