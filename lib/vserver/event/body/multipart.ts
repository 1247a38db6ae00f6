import { VServerError } from '../../types'
import { parseHeaderParams } from './params'

/** One part of a multipart/form-data body, as h3's `readMultipartFormData` gives it. */
export interface MultipartPart {
  name: string
  /** Set for file fields (possibly `''` when no file was chosen). */
  filename?: string
  /** The part's Content-Type, when it has one. */
  type?: string
  data: Uint8Array
}

/** RFC 2046 §5.1.1: 1–70 characters from a small set. */
const BOUNDARY = /^[\w'()+,\-./:=? ]{1,70}$/
const MAX_PARTS = 1000
const CR = 13
const LF = 10
const DASH = 45

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function malformed(reason: string): VServerError {
  return new VServerError(400, `Malformed multipart/form-data body: ${reason}`)
}

/** First index of `needle` in `haystack` at or after `from`, or -1. */
export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0]
  if (first === undefined) return from
  const last = haystack.length - needle.length
  for (let i = haystack.indexOf(first, from); i >= 0 && i <= last; i = haystack.indexOf(first, i + 1)) {
    let j = 1
    while (j < needle.length && haystack[i + j] === needle[j]) j++
    if (j === needle.length) return i
  }
  return -1
}

/** The `filename*=UTF-8''…` form (RFC 5987) wins over `filename`. */
function extendedFilename(value: string | undefined): string | undefined {
  const match = value === undefined ? null : /^utf-8'[^']*'(.*)$/i.exec(value)
  if (!match?.[1]) return undefined
  try {
    return decodeURIComponent(match[1])
  }
  catch {
    throw malformed('a filename* parameter has a malformed percent-escape')
  }
}

function parsePartHeaders(bytes: Uint8Array): Omit<MultipartPart, 'data'> {
  const headers = new Map<string, string>()
  for (const line of decoder.decode(bytes).split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  const disposition = parseHeaderParams(headers.get('content-disposition') ?? '')
  const name = disposition.params.get('name')
  if (disposition.value !== 'form-data' || name === undefined) throw malformed('a part has no Content-Disposition: form-data; name="…"')
  const filename = extendedFilename(disposition.params.get('filename*')) ?? disposition.params.get('filename')
  const type = headers.get('content-type')
  return { name, ...(filename === undefined ? {} : { filename }), ...(type === undefined ? {} : { type }) }
}

/** Where the first delimiter starts: at the very beginning, or after a preamble ending in CRLF. */
function firstDelimiter(body: Uint8Array, delimiter: Uint8Array): number {
  if (indexOfBytes(body.subarray(0, delimiter.length), delimiter) === 0) return 0
  const found = indexOfBytes(body, encoder.encode(`\r\n${decoder.decode(delimiter)}`))
  if (found < 0) throw malformed('the boundary from Content-Type never occurs')
  return found + 2
}

/** After a delimiter: `--` ends the body, else optional whitespace and CRLF. Returns the offset after the CRLF, or -1 at the end. */
function afterDelimiter(body: Uint8Array, at: number): number {
  if (body[at] === DASH && body[at + 1] === DASH) return -1
  let i = at
  while (body[i] === 32 || body[i] === 9) i++
  if (body[i] !== CR || body[i + 1] !== LF) throw malformed('a boundary line is not followed by CRLF')
  return i + 2
}

/**
 * Parse a multipart/form-data body (RFC 7578), binary-safe: a part ends only
 * at CRLF + `--boundary`, so the boundary text inside file data is data.
 * Throws a 400 `VServerError` naming what is wrong.
 */
export function parseMultipart(body: Uint8Array, boundary: string): MultipartPart[] {
  if (!BOUNDARY.test(boundary)) throw malformed('the boundary parameter is missing or invalid')
  const delimiter = encoder.encode(`--${boundary}`)
  const separator = encoder.encode(`\r\n--${boundary}`)
  const parts: MultipartPart[] = []
  let at = firstDelimiter(body, delimiter) + delimiter.length
  for (;;) {
    // The CRLF that ends a delimiter line also starts the empty-headers case (`\r\n\r\n` right away).
    const lineEnd = afterDelimiter(body, at)
    if (lineEnd < 0) return parts
    if (parts.length >= MAX_PARTS) throw malformed(`more than ${MAX_PARTS} parts`)
    const headersEnd = indexOfBytes(body, encoder.encode('\r\n\r\n'), lineEnd - 2)
    if (headersEnd < 0) throw malformed('the headers of a part never end')
    const dataStart = headersEnd + 4
    const dataEnd = indexOfBytes(body, separator, dataStart)
    if (dataEnd < 0) throw malformed('the closing boundary is missing')
    const headers = parsePartHeaders(body.subarray(lineEnd, Math.max(lineEnd, headersEnd)))
    parts.push({ ...headers, data: body.slice(dataStart, dataEnd) })
    at = dataEnd + separator.length
  }
}
