import { groupEntries, type Grouped } from './entries'
import { stateOf, type VEvent } from './event'

/** The query string as an object; a repeated name gives an array. */
export function getQuery(event: VEvent): Grouped<string> {
  return groupEntries(event.url.searchParams.entries())
}

/** One route param (`[id]` in the file name), decoded; undefined when the route has none by that name. */
export function getRouterParam(event: VEvent, name: string): string | undefined {
  return Object.hasOwn(event.context.params, name) ? event.context.params[name] : undefined
}

/** Every route param, decoded. */
export function getRouterParams(event: VEvent): Record<string, string> {
  return { ...event.context.params }
}

/** A request header, case-insensitive; repeated headers are joined by `, `. */
export function getHeader(event: VEvent, name: string): string | undefined {
  return event.headers.get(name) ?? undefined
}

/** Every request header, with lower-case names. */
export function getHeaders(event: VEvent): Record<string, string> {
  return Object.fromEntries(event.headers.entries())
}

/** The request method, upper-case. */
export function getMethod(event: VEvent): string {
  return event.method
}

/** The full request URL. */
export function getRequestURL(event: VEvent): URL {
  return new URL(event.url)
}

/** The raw header list of the request, repeated names kept apart (cookies need that). */
export function rawRequestHeaders(event: VEvent, name: string): string[] {
  return stateOf(event).request.headers.filter(([key]) => key.toLowerCase() === name).map(([, value]) => value)
}
