import { stateOf, type VEvent } from './event'

const TOKEN = /^[!#$%&'*+.^`|~\w-]+$/

function checkHeader(name: string, value: string): string {
  if (!TOKEN.test(name)) throw new TypeError(`Invalid header name ${JSON.stringify(name)}`)
  if (/[\r\n\0]/.test(value)) throw new TypeError(`The value of header ${name} may not contain a line break or NUL`)
  return name.toLowerCase()
}

function values(value: string | number | readonly string[]): string[] {
  return Array.isArray(value) ? value.map(String) : [String(value)]
}

/** Set a response header, replacing any previous value (an array sets it repeatedly). */
export function setHeader(event: VEvent, name: string, value: string | number | readonly string[]): void {
  const list = values(value)
  const key = checkHeader(name, list.join(''))
  const state = stateOf(event).response
  state.headers = state.headers.filter(([existing]) => existing !== key)
  for (const item of list) state.headers.push([key, item])
}

/** Add a response header, keeping previous values. */
export function appendHeader(event: VEvent, name: string, value: string | number | readonly string[]): void {
  const list = values(value)
  const key = checkHeader(name, list.join(''))
  for (const item of list) stateOf(event).response.headers.push([key, item])
}

/** A response header set so far, joined by `, `. */
export function getResponseHeader(event: VEvent, name: string): string | undefined {
  const found = stateOf(event).response.headers.filter(([key]) => key === name.toLowerCase()).map(([, value]) => value)
  return found.length > 0 ? found.join(', ') : undefined
}

/** Set the response status (and reason text). */
export function setResponseStatus(event: VEvent, code: number, text?: string): void {
  if (!Number.isInteger(code) || code < 100 || code > 599) throw new RangeError(`setResponseStatus: ${String(code)} is not an HTTP status`)
  const state = stateOf(event).response
  state.status = code
  state.statusText = text
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, char => `&#${char.charCodeAt(0)};`)
}

/** Redirect: `return sendRedirect(event, '/login')`. Sets status and Location; returns a small page for old clients. */
export function sendRedirect(event: VEvent, location: string, code = 302): string {
  if (!Number.isInteger(code) || code < 300 || code > 399) throw new RangeError(`sendRedirect: ${String(code)} is not a redirect status`)
  setResponseStatus(event, code)
  setHeader(event, 'location', location)
  setHeader(event, 'content-type', 'text/html; charset=utf-8')
  const href = escapeAttribute(location)
  return `<!doctype html><meta http-equiv="refresh" content="0; url=${href}"><a href="${href}">Redirecting</a>\n`
}
