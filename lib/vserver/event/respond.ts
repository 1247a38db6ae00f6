import type { HeaderList, VResponse } from '../types'
import { stateOf, type VEvent } from './event'

const encoder = new TextEncoder()

function isBody(value: unknown): value is VResponse['body'] {
  return value === null || value instanceof Uint8Array || (typeof ReadableStream !== 'undefined' && value instanceof ReadableStream)
}

function isHeaderList(value: unknown): value is HeaderList {
  return Array.isArray(value) && value.every((pair: unknown) =>
    Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && typeof pair[1] === 'string')
}

/** A `VResponse` returned by a handler: an integer status, a header list and a byte, stream or null body. */
export function isVResponse(value: unknown): value is VResponse {
  if (typeof value !== 'object' || value === null) return false
  return 'status' in value && Number.isInteger(value.status) && 'headers' in value && isHeaderList(value.headers)
    && 'body' in value && isBody(value.body)
}

/** Headers set through the helpers, then the value's own (which win, except that cookies add up). */
function mergeHeaders(prepared: HeaderList, own: HeaderList): HeaderList {
  const names = new Set(own.map(([name]) => name.toLowerCase()).filter(name => name !== 'set-cookie'))
  return [...prepared.filter(([name]) => !names.has(name)), ...own.map(([name, value]): [string, string] => [name.toLowerCase(), value])]
}

function fromResponse(response: Response, prepared: HeaderList): VResponse {
  const own: HeaderList = []
  response.headers.forEach((value, name) => own.push([name, value]))
  return { status: response.status, statusText: response.statusText || undefined, headers: mergeHeaders(prepared, own), body: response.body }
}

function serialise(value: unknown): { type: string, body: Uint8Array | ReadableStream<Uint8Array> | null } {
  if (value === undefined || value === null) return { type: '', body: null }
  if (typeof value === 'string') return { type: 'text/html; charset=utf-8', body: encoder.encode(value) }
  if (value instanceof Uint8Array) return { type: 'application/octet-stream', body: value }
  if (value instanceof ArrayBuffer) return { type: 'application/octet-stream', body: new Uint8Array(value) }
  if (typeof ReadableStream !== 'undefined' && value instanceof ReadableStream) return { type: 'application/octet-stream', body: value }
  if (typeof value === 'function' || typeof value === 'symbol') throw new TypeError(`The handler returned a ${typeof value}; return a string, an object, bytes or a Response`)
  const json = JSON.stringify(value, (_key, item: unknown) => typeof item === 'bigint' ? item.toString() : item)
  return { type: 'application/json; charset=utf-8', body: encoder.encode(json) }
}

/**
 * What a handler's return value becomes: a string → text/html; an object,
 * array, number or boolean → JSON; bytes or a stream → octet-stream; a
 * `Response` or `VResponse` passes through (with cookies and headers set
 * through the helpers added); null/undefined → 204, or an empty body with the
 * status the handler set. A Content-Type set with `setHeader` wins.
 */
export function toResponse(event: VEvent, value: unknown): VResponse {
  const state = stateOf(event).response
  if (typeof Response !== 'undefined' && value instanceof Response) return fromResponse(value, state.headers)
  if (isVResponse(value)) return { ...value, headers: mergeHeaders(state.headers, value.headers) }
  const { type, body } = serialise(value)
  const headers = [...state.headers]
  if (type && !headers.some(([name]) => name === 'content-type')) headers.push(['content-type', type])
  const status = state.status ?? (body === null ? 204 : 200)
  return { status, statusText: state.statusText, headers, body }
}
