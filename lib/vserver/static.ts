import type { FileEntry, FileStore } from './files'
import { contentType } from './mime'
import { normalizeSitePath } from './paths'
import type { HeaderList, VRequest, VResponse } from './types'
import { VServerError } from './types'

const encoder = new TextEncoder()

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, ch => `&#${ch.charCodeAt(0)};`)
}

function header(request: VRequest, name: string): string | undefined {
  return request.headers.find(([key]) => key.toLowerCase() === name)?.[1]
}

/** The request's path, percent-decoded; null when it cannot name a file (bad escapes, encoded '/', NUL). */
function decodedPath(url: string): string | null {
  const raw = url.split(/[?#]/)[0] ?? '/'
  if (/%2f|%5c|%00/i.test(raw)) return null
  try {
    return decodeURIComponent(raw)
  }
  catch {
    return null // A malformed escape such as "%E0%A4%A": no file has that name.
  }
}

/** The public/ file a URL path names, or null when the path is not a possible file. */
function publicPath(path: string): string | null {
  try {
    return normalizeSitePath(`public/${path.replace(/^\/+/, '')}`)
  }
  catch (error) {
    if (error instanceof VServerError) return null
    throw error
  }
}

/** A plain HTML page for an error the runtime answers itself. */
export function errorPage(status: number, message: string): VResponse {
  const title = `${status} ${escapeHtml(message)}`
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1></body></html>\n`
  return { status, headers: [['content-type', 'text/html; charset=utf-8'], ['cache-control', 'no-store']], body: encoder.encode(html) }
}

/** 404: the site's own public/404.html when it has one, else a small page naming the path. */
export async function notFound(store: FileStore, request: VRequest): Promise<VResponse> {
  const custom = await store.read('public/404.html')
  const headers: HeaderList = [['content-type', 'text/html; charset=utf-8'], ['cache-control', 'no-store']]
  if (custom) return { status: 404, headers, body: request.method === 'HEAD' ? null : custom }
  const path = escapeHtml(decodedPath(request.url) ?? request.url)
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>404 Not Found</title></head>`
    + `<body><h1>404 Not Found</h1><p>The page <code>${path}</code> was not found on this site.</p></body></html>\n`
  return { status: 404, headers, body: request.method === 'HEAD' ? null : encoder.encode(html) }
}

function notModified(request: VRequest, entry: FileEntry): boolean {
  const match = header(request, 'if-none-match')
  if (match !== undefined) return match.split(',').some(tag => tag.trim() === entry.etag || tag.trim() === '*')
  const since = header(request, 'if-modified-since')
  return since !== undefined && Math.floor(entry.mtime / 1000) * 1000 <= Date.parse(since)
}

/** Parse a single `bytes=` range against `size`: [start, end] inclusive, 'none' to send it all, or 'unsatisfiable'. */
function parseRange(value: string | undefined, size: number): [number, number] | 'none' | 'unsatisfiable' {
  const match = value ? /^bytes=(\d*)-(\d*)$/.exec(value.trim()) : null
  // Multi-range and malformed headers are answered with the whole file (RFC 9110 allows ignoring Range).
  if (!match || (match[1] === '' && match[2] === '')) return 'none'
  const [, from = '', to = ''] = match
  if (from === '') {
    const suffix = Number(to)
    if (suffix === 0) return 'unsatisfiable'
    return [Math.max(0, size - suffix), size - 1]
  }
  const start = Number(from)
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1)
  if (start >= size || start > end) return 'unsatisfiable'
  return [start, end]
}

async function fileResponse(store: FileStore, entry: FileEntry, request: VRequest): Promise<VResponse> {
  const headers: HeaderList = [
    ['content-type', contentType(entry.path)],
    ['etag', entry.etag],
    ['last-modified', new Date(entry.mtime).toUTCString()],
    // Authors edit live: always revalidate (cheap, thanks to the ETag).
    ['cache-control', 'no-cache'],
    ['accept-ranges', 'bytes'],
  ]
  if (notModified(request, entry)) return { status: 304, headers, body: null }
  const range = parseRange(header(request, 'range'), entry.size)
  if (range === 'unsatisfiable') return { status: 416, headers: [...headers, ['content-range', `bytes */${entry.size}`]], body: null }
  const data = request.method === 'HEAD' ? null : await store.read(entry.path)
  if (range === 'none') return { status: 200, headers: [...headers, ['content-length', String(entry.size)]], body: data }
  const [start, end] = range
  return {
    status: 206,
    headers: [...headers, ['content-range', `bytes ${start}-${end}/${entry.size}`], ['content-length', String(end - start + 1)]],
    body: data ? data.subarray(start, end + 1) : null,
  }
}

/**
 * Serve a file of the site's public/ folder for GET and HEAD: types,
 * ETag/304, Range, index.html for directories and the "/dir" → "/dir/"
 * redirect. Null when no file answers, so dynamic routes may.
 */
export async function serveStatic(store: FileStore, request: VRequest): Promise<VResponse | null> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return null
  const path = decodedPath(request.url)
  if (path === null || !path.startsWith('/')) return null
  const file = path.endsWith('/') ? publicPath(`${path}index.html`) : publicPath(path)
  if (!file) return null
  const entry = await store.stat(file)
  if (entry) return fileResponse(store, entry, request)
  if (path.endsWith('/')) return null
  const index = publicPath(`${path}/index.html`)
  if (index && await store.stat(index)) {
    // As nginx does: a directory without its slash is redirected, so relative links resolve.
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''
    const location = `${request.url.split(/[?#]/)[0]}/${query}`
    return { status: 301, headers: [['location', location], ['content-type', 'text/html; charset=utf-8']], body: encoder.encode(`<a href="${escapeHtml(location)}">Moved</a>\n`) }
  }
  return null
}
