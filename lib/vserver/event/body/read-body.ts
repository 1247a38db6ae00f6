import { VServerError } from '../../types'
import { groupEntries, type Grouped } from '../entries'
import { stateOf, type VEvent } from '../event'
import { parseMultipart, type MultipartPart } from './multipart'
import { parseHeaderParams } from './params'
import { errorMessage } from '../../../../shared/error-message'

/** A file of a multipart form, as `readBody` gives it. */
export interface UploadedFile {
  filename: string
  /** The browser's idea of its type; `application/octet-stream` when it gave none. */
  type: string
  data: Uint8Array
}

/** A parsed form: strings for fields, `UploadedFile`s for files, arrays where a name repeats. */
export type FormBody = Grouped<string | UploadedFile>

function rawBody(event: VEvent): Uint8Array | undefined {
  const body = stateOf(event).request.body
  return body && body.length > 0 ? body : undefined
}

function decodeText(bytes: Uint8Array, charset = 'utf-8'): string {
  let decoder: TextDecoder
  try {
    decoder = new TextDecoder(charset)
  }
  catch {
    throw new VServerError(415, `Unsupported charset ${JSON.stringify(charset)} in Content-Type`)
  }
  return decoder.decode(bytes)
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  }
  catch (error) {
    throw new VServerError(400, `Invalid JSON body: ${errorMessage(error)}`)
  }
}

function formFromParts(parts: MultipartPart[]): FormBody {
  const decoder = new TextDecoder()
  return groupEntries(parts.map(part => [part.name, part.filename === undefined
    ? decoder.decode(part.data)
    : { filename: part.filename, type: part.type ?? 'application/octet-stream', data: part.data }]))
}

function multipartParts(event: VEvent, body: Uint8Array): MultipartPart[] {
  const boundary = parseHeaderParams(event.headers.get('content-type') ?? '').params.get('boundary')
  if (!boundary) throw new VServerError(400, 'Malformed multipart/form-data body: Content-Type has no boundary')
  return parseMultipart(body, boundary)
}

function parseBody(event: VEvent, body: Uint8Array): unknown {
  const { value: type, params } = parseHeaderParams(event.headers.get('content-type') ?? '')
  if (type === 'application/json' || type.endsWith('+json')) return parseJson(decodeText(body, params.get('charset')))
  if (type === 'application/x-www-form-urlencoded') return groupEntries(new URLSearchParams(decodeText(body, params.get('charset'))))
  if (type === 'multipart/form-data') return formFromParts(multipartParts(event, body))
  if (type.startsWith('text/')) return decodeText(body, params.get('charset'))
  return body
}

/**
 * The request body, parsed by its Content-Type: JSON → value; urlencoded →
 * object; multipart/form-data → object with `UploadedFile`s; `text/*` →
 * string; anything else (or no type) → the bytes; no body → undefined.
 * Malformed bodies throw a 400 naming the problem. Read once per request.
 */
export function readBody(event: VEvent): Promise<unknown> {
  const state = stateOf(event)
  state.body ??= Promise.resolve().then(() => {
    const body = rawBody(event)
    return body === undefined ? undefined : parseBody(event, body)
  })
  return state.body
}

/** The body as text (`'utf8'`, the default) or as bytes (`false`); undefined when there is none. */
export async function readRawBody(event: VEvent, encoding: 'utf8' | false = 'utf8'): Promise<string | Uint8Array | undefined> {
  const body = rawBody(event)
  if (body === undefined || encoding === false) return body
  return decodeText(body)
}

/** The parts of a multipart/form-data body, in order, as h3 gives them; undefined when the body is not multipart. */
export async function readMultipartFormData(event: VEvent): Promise<MultipartPart[] | undefined> {
  const body = rawBody(event)
  const type = parseHeaderParams(event.headers.get('content-type') ?? '').value
  if (body === undefined || type !== 'multipart/form-data') return undefined
  return multipartParts(event, body)
}
