import { strToU8, zipSync, type Zippable } from 'fflate'

/** A zip of these entries: a string or bytes is a file, null a directory entry (name ending in "/"). */
export function makeZip(entries: Record<string, string | Uint8Array | null>): Uint8Array {
  const tree: Zippable = {}
  for (const [name, content] of Object.entries(entries)) {
    if (content === null) tree[name.replace(/\/$/, '')] = {}
    else tree[name] = typeof content === 'string' ? strToU8(content) : content
  }
  return zipSync(tree)
}

/** The manifest entry of an exported site. */
export const MANIFEST = { '.peerserver/site.json': JSON.stringify({ format: 'peerserver-site', version: 1 }) }

/** Offset of the first central directory header (signature PK\1\2). */
function centralHeader(zip: Uint8Array): number {
  for (let i = 0; i + 4 <= zip.length; i++) {
    if (zip[i] === 0x50 && zip[i + 1] === 0x4B && zip[i + 2] === 0x01 && zip[i + 3] === 0x02) return i
  }
  throw new Error('no central directory')
}

/** A copy of a one-entry zip whose central directory claims another uncompressed size. */
export function claimSize(zip: Uint8Array, size: number): Uint8Array {
  const copy = zip.slice()
  new DataView(copy.buffer).setUint32(centralHeader(copy) + 24, size, true)
  return copy
}

/** A copy of a one-entry zip whose deflated data is garbage (an invalid block type). */
export function damage(zip: Uint8Array): Uint8Array {
  const copy = zip.slice()
  const view = new DataView(copy.buffer)
  const dataStart = 30 + view.getUint16(26, true) + view.getUint16(28, true)
  copy.fill(0xFF, dataStart, dataStart + view.getUint32(18, true))
  return copy
}
