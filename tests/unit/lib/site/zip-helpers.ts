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

/**
 * A zip of empty entries (a name ending in "/" is a directory), written
 * directly: fflate's zipSync takes seconds for 100,000 entries and cannot
 * count past 65,535 (this writes the zip64 end record when it must).
 */
export function emptyEntriesZip(names: string[]): Uint8Array {
  const encoded = names.map(name => new TextEncoder().encode(name))
  const nameBytes = encoded.reduce((sum, name) => sum + name.byteLength, 0)
  const centralSize = 46 * names.length + nameBytes
  const centralOffset = 30 * names.length + nameBytes
  const zip64 = names.length > 0xFFFF
  const out = new Uint8Array(centralOffset + centralSize + (zip64 ? 56 + 20 : 0) + 22)
  const view = new DataView(out.buffer)
  let local = 0
  let central = centralOffset
  for (const name of encoded) {
    view.setUint32(local, 0x04034B50, true)
    view.setUint16(local + 4, 20, true)
    view.setUint16(local + 26, name.byteLength, true)
    out.set(name, local + 30)
    view.setUint32(central, 0x02014B50, true)
    view.setUint16(central + 4, 20, true)
    view.setUint16(central + 6, 20, true)
    view.setUint16(central + 28, name.byteLength, true)
    view.setUint32(central + 42, local, true)
    out.set(name, central + 46)
    local += 30 + name.byteLength
    central += 46 + name.byteLength
  }
  if (zip64) {
    view.setUint32(central, 0x06064B50, true)
    view.setBigUint64(central + 4, 44n, true)
    view.setBigUint64(central + 24, BigInt(names.length), true)
    view.setBigUint64(central + 32, BigInt(names.length), true)
    view.setBigUint64(central + 40, BigInt(centralSize), true)
    view.setBigUint64(central + 48, BigInt(centralOffset), true)
    view.setUint32(central + 56, 0x07064B50, true)
    view.setBigUint64(central + 64, BigInt(central), true)
    view.setUint32(central + 72, 1, true)
    central += 76
  }
  view.setUint32(central, 0x06054B50, true)
  view.setUint16(central + 8, Math.min(names.length, 0xFFFF), true)
  view.setUint16(central + 10, Math.min(names.length, 0xFFFF), true)
  view.setUint32(central + 12, centralSize, true)
  view.setUint32(central + 16, centralOffset, true)
  return out
}
