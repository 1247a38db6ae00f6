const TYPES = new Map<string, string>(Object.entries({
  html: 'text/html', htm: 'text/html', css: 'text/css', js: 'text/javascript', mjs: 'text/javascript', cjs: 'text/javascript',
  json: 'application/json', map: 'application/json', webmanifest: 'application/manifest+json',
  txt: 'text/plain', md: 'text/markdown', csv: 'text/csv', xml: 'application/xml', svg: 'image/svg+xml',
  // Views are sources, not pages: shown as text if someone fetches one from public/.
  mustache: 'text/plain',
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', avif: 'image/avif', ico: 'image/x-icon',
  woff: 'font/woff', woff2: 'font/woff2', ttf: 'font/ttf', otf: 'font/otf',
  mp3: 'audio/mpeg', wav: 'audio/wav', ogg: 'audio/ogg', mp4: 'video/mp4', webm: 'video/webm',
  pdf: 'application/pdf', wasm: 'application/wasm', zip: 'application/zip',
}))

/** Types whose content is text, so they get `charset=utf-8` (the editor saves UTF-8). */
const TEXTUAL = /^(?:text\/|application\/(?:json|xml|javascript)$|[a-z]+\/[\w.-]+\+(?:json|xml)$)/

/** The extension of the last path segment, lower-cased; none for `noext` or a dotfile such as `.env`. */
function extensionOf(path: string): string | null {
  const name = path.slice(path.lastIndexOf('/') + 1)
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : null
}

/** Whether a media type is text (and so gets a charset): `text/*`, JSON, XML, SVG and other `+json`/`+xml`. */
export function isTextType(type: string): boolean {
  return TEXTUAL.test(type.split(';')[0]?.trim().toLowerCase() ?? '')
}

/** The Content-Type of a file by its extension; text types get `; charset=utf-8`, unknown ones `application/octet-stream`. */
export function contentType(path: string): string {
  const extension = extensionOf(path)
  // A Map, not an object lookup: `file.constructor` must not find Object's prototype.
  const type = extension === null ? undefined : TYPES.get(extension)
  if (!type) return 'application/octet-stream'
  return isTextType(type) ? `${type}; charset=utf-8` : type
}
