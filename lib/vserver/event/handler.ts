import type { VEvent } from './event'

/** A route handler: gets the event, returns what the visitor receives (see `toResponse`). */
export type EventHandler<T = unknown> = (event: VEvent) => T | Promise<T>

/** h3 v2's object form: `defineHandler({ handler })`. */
export interface HandlerObject<T = unknown> {
  handler: EventHandler<T>
}

/** Mark a route's handler, as in Nitro: `export default defineHandler(async (event) => …)`. */
export function defineHandler<T>(handler: EventHandler<T> | HandlerObject<T>): EventHandler<T> {
  if (typeof handler === 'function') return handler
  if (typeof handler === 'object' && handler !== null && typeof handler.handler === 'function') return handler.handler
  throw new TypeError('defineHandler expects a function: defineHandler(async (event) => { … })')
}
