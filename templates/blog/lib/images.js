// The database holds JSON: an uploaded picture is kept as base64 beside its type.
export function toBase64(bytes) {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

export function fromBase64(text) {
  return Uint8Array.from(atob(text), c => c.charCodeAt(0))
}

const SIGNATURES = [
  ['image/png', [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]],
  ['image/jpeg', [0xFF, 0xD8, 0xFF]],
  ['image/gif', [0x47, 0x49, 0x46, 0x38]],
]

// The type of a picture, told by its first bytes, never by what the uploader claimed: a file
// that says "image/png" but holds HTML or SVG (which can run scripts) is no picture. Null: not one we show.
export function imageType(bytes) {
  for (const [type, signature] of SIGNATURES) {
    if (signature.every((byte, i) => bytes[i] === byte)) return type
  }
  const ascii = String.fromCharCode(...bytes.subarray(0, 12))
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return 'image/webp'
  return null
}
