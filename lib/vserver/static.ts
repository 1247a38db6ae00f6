import type { FileEntry, FileStore } from './files'
import { contentType } from './mime'
import { normalizeSitePath } from './paths'
import type { HeaderList, VRequest, VResponse } from './types'
import { VServerError } from './types'

const encoder = new TextEncoder()
const HTML = 'text/html; charset=utf-8'

/** Text made safe to put in HTML, in element content and in quoted attributes alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, ch => `&#${ch.charCodeAt(0)};`)
}

function header(request: VRequest, name: string): string | undefined {
  return request.headers.find(([key]) => key.toLowerCase() === name)?.[1]
}

function withBody(request: VRequest, status: number, headers: HeaderList, body: Uint8Array): VResponse {
  return { status, headers: [...headers, ['content-length', String(body.byteLength)]], body: request.method === 'HEAD' ? null : body }
}

/** The request's path, percent-decoded; null when it cannot name a file (bad escapes, encoded '/', '\' or NUL). */
function decodedPath(url: string): string | null {
  const raw = url.split(/[?#]/)[0] ?? ''
  if (/%2f|%5c|%00/i.test(raw)) return null
  try {
    return decodeURIComponent(raw)
  }
  catch {
    return null // A malformed escape such as "%E0%A4%A": no file has that name.
  }
}

/** The public/ file a decoded URL path names, or null when no file can have that name ('..', '//', '\', NUL). */
function publicFile(path: string): string | null {
  try {
    return normalizeSitePath(`public${path}`)
  }
  catch (error) {
    if (error instanceof VServerError) return null
    throw error
  }
}

/** A plain HTML page for an error the runtime answers itself; `message` is escaped. */
export function errorPage(status: number, message: string): VResponse {
  const title = `${status} ${escapeHtml(message)}`
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1></body></html>\n`
  return { status, headers: [['content-type', HTML], ['cache-control', 'no-store']], body: encoder.encode(html) }
}

/** 404: the site's own public/404.html when it has one, else a small built-in page naming the (escaped) path. */
export async function notFound(store: FileStore, request: VRequest): Promise<VResponse> {
  const headers: HeaderList = [['content-type', HTML], ['cache-control', 'no-store']]
  const custom = await store.read('public/404.html')
  if (custom) return withBody(request, 404, headers, custom)
  const path = escapeHtml(decodedPath(request.url) ?? request.url)
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>404 Not Found</title></head>`
    + `<body><h1>404 Not Found</h1><p>The page <code>${path}</code> was not found on this site.</p></body></html>\n`
  return withBody(request, 404, headers, encoder.encode(html))
}

/** Last-Modified has whole seconds: compare dates at that precision. */
function modifiedSecond(entry: FileEntry): number {
  return Math.floor(entry.mtime / 1000) * 1000
}

/** If-None-Match (weak comparison, RFC 9110 13.1.2) or, only without it, If-Modified-Since. */
function notModified(request: VRequest, entry: FileEntry): boolean {
  const match = header(request, 'if-none-match')
  if (match !== undefined) {
    return match.split(',').some(tag => tag.trim() === '*' || tag.trim().replace(/^W\//, '') === entry.etag.replace(/^W\//, ''))
  }
  const since = header(request, 'if-modified-since')
  return since !== undefined && modifiedSecond(entry) <= Date.parse(since)
}

/** If-Range: a range applies only while the file is the one the client has (strong ETag or exact date). */
function rangeStillValid(request: VRequest, entry: FileEntry): boolean {
  const condition = header(request, 'if-range')?.trim()
  if (condition === undefined) return true
  if (condition.startsWith('"')) return condition === entry.etag
  return !condition.startsWith('W/') && Date.parse(condition) === modifiedSecond(entry)
}

type Range = [start: number, end: number] | 'all' | 'unsatisfiable'

/** A single `bytes=` range against `size`: [start, end] inclusive, 'all' to send the whole file, or 'unsatisfiable'. */
export function parseRange(value: string | undefined, size: number): Range {
  // Multi-range ("bytes=0-1,4-5"), other units and malformed headers get the
  // whole file as a 200: RFC 9110 14.2 lets a server ignore Range, and nginx
  // ignores it for an empty file too.
  const match = value === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(value.trim())
  if (!match || size === 0) return 'all'
  const [, from = '', to = ''] = match
  if (from === '' && to === '') return 'all'
  if (from === '') {
    const suffix = Number(to)
    return suffix === 0 ? 'unsatisfiable' : [Math.max(0, size - suffix), size - 1]
  }
  const start = Number(from)
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1)
  return start >= size || start > end ? 'unsatisfiable' : [start, end]
}

/** The file's answer to GET or HEAD; null when it vanished between stat and read. */
async function fileResponse(store: FileStore, entry: FileEntry, request: VRequest): Promise<VResponse | null> {
  const headers: HeaderList = [
    ['content-type', contentType(entry.path)],
    ['etag', entry.etag],
    ['last-modified', new Date(entry.mtime).toUTCString()],
    // Authors edit live: always revalidate (cheap, thanks to the ETag).
    ['cache-control', 'no-cache'],
    ['accept-ranges', 'bytes'],
  ]
  if (notModified(request, entry)) return { status: 304, headers, body: null }
  if (request.method === 'HEAD') return { status: 200, headers: [...headers, ['content-length', String(entry.size)]], body: null }
  // The tunnel only reads the body: a large file is sent from the store's own bytes.
  const data = await (store.view ? store.view(entry.path) : store.read(entry.path))
  if (!data) return null
  const size = data.byteLength
  // Range is defined for GET only (RFC 9110 14.2): HEAD above answers 200.
  const range = rangeStillValid(request, entry) ? parseRange(header(request, 'range'), size) : 'all'
  if (range === 'all') return { status: 200, headers: [...headers, ['content-length', String(size)]], body: data }
  if (range === 'unsatisfiable') {
    const kept = headers.filter(([name]) => name !== 'content-type') // There is no body to type.
    return { status: 416, headers: [...kept, ['content-range', `bytes */${size}`], ['content-length', '0']], body: null }
  }
  const [start, end] = range
  return {
    status: 206,
    headers: [...headers, ['content-range', `bytes ${start}-${end}/${size}`], ['content-length', String(end - start + 1)]],
    body: data.subarray(start, end + 1),
  }
}

/** "/docs?x=1" → 301 "/docs/?x=1", as nginx does, so the index page's relative links resolve. */
function directoryRedirect(request: VRequest): VResponse {
  const [path = '', ...rest] = request.url.split('?')
  const query = rest.length > 0 ? `?${rest.join('?')}` : ''
  const location = `${path.split('#')[0] ?? ''}/${query}`
  // no-cache: a 301 is otherwise cached for good, and the author may yet make "docs" a file.
  const headers: HeaderList = [['location', location], ['content-type', HTML], ['cache-control', 'no-cache']]
  return withBody(request, 301, headers, encoder.encode(`<a href="${escapeHtml(location)}">Moved to ${escapeHtml(location)}</a>\n`))
}

/**
 * Serve a file of the site's public/ folder for GET and HEAD: content type,
 * ETag/304, Last-Modified, Range, `index.html` for "/dir/" and the "/dir" →
 * "/dir/" redirect. Null when no file answers (any other method, no such
 * file, a path no file can have), so dynamic routes and then `notFound` may.
 */
export async function serveStatic(store: FileStore, request: VRequest): Promise<VResponse | null> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return null
  const path = decodedPath(request.url)
  if (path === null || !path.startsWith('/')) return null
  const file = publicFile(path.endsWith('/') ? `${path}index.html` : path)
  if (!file) return null
  const entry = await store.stat(file)
  if (entry) return fileResponse(store, entry, request)
  if (path.endsWith('/')) return null
  const index = publicFile(`${path}/index.html`)
  return index && await store.stat(index) ? directoryRedirect(request) : null
}
