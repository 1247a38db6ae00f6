// The database holds JSON: an uploaded picture is kept as base64 beside its type.
export function toBase64(bytes) {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

export function fromBase64(text) {
  return Uint8Array.from(atob(text), c => c.charCodeAt(0))
}
