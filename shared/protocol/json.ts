import { z } from 'zod'

// JSON text messages `{ "type": ..., ... }`, as both signaling dialects
// (signal.ts, yjs-signal.ts) send them over their WebSockets.

/** The refusals every JSON text dialect shares; each dialect's error table has them. */
export type JsonRefusalCode = 'too-large' | 'bad-json' | 'bad-message' | 'unknown-type'

/** What `decodeJsonMessage` needs to know about a dialect. */
export interface JsonDialect<T, E> {
  /** The union of the messages one side may receive. */
  schema: z.ZodType<T>
  /** The `type`s of that union (`messageTypes(schema)`): any other is `unknown-type`, not `bad-message`. */
  types: ReadonlySet<string>
  /** Largest message in bytes of UTF-8. */
  maxBytes: number
  /** The dialect's `error` message; without `message`, the code's default text. */
  error: (code: JsonRefusalCode, message?: string) => E
}

/** A decoded message, or the `error` message to answer it with. */
export type JsonDecodeResult<T, E> = { ok: true, message: T } | { ok: false, error: E }

/** Whether `text` is over `maxBytes` in UTF-8, without encoding it when the answer is clear. */
export function isOverUtf8Limit(text: string, maxBytes: number): boolean {
  // A UTF-16 code unit takes 1 to 3 bytes of UTF-8.
  if (text.length > maxBytes) return true
  if (text.length * 3 <= maxBytes) return false
  return new TextEncoder().encode(text).length > maxBytes
}

/** The `type` of each option of a `z.discriminatedUnion('type', …)` of objects. */
export function messageTypes(union: { options: ReadonlyArray<{ shape: { type: { value: string } } }> }): ReadonlySet<string> {
  return new Set(union.options.map(option => option.shape.type.value))
}

const EnvelopeSchema = z.looseObject({ type: z.string() })

/**
 * Decode one JSON text message of `dialect`; never throws. Refusals, in the
 * order they are checked: `too-large`, `bad-json`, `bad-message` (not an
 * object with a string `type`), `unknown-type`, `bad-message` naming the
 * first field that does not fit its type's schema.
 */
export function decodeJsonMessage<T, E>(text: string, dialect: JsonDialect<T, E>): JsonDecodeResult<T, E> {
  const refuse = (code: JsonRefusalCode, message?: string): JsonDecodeResult<T, E> => ({ ok: false, error: dialect.error(code, message) })
  if (isOverUtf8Limit(text, dialect.maxBytes)) return refuse('too-large')
  let json: unknown
  try {
    json = JSON.parse(text)
  }
  catch (error) {
    return refuse('bad-json', `the message is not JSON: ${String(error)}`)
  }
  const envelope = EnvelopeSchema.safeParse(json)
  if (!envelope.success) return refuse('bad-message', 'a message is a JSON object with a string "type"')
  const type = envelope.data.type
  if (!dialect.types.has(type)) return refuse('unknown-type', `unknown message type "${type.slice(0, 40)}"`)
  const parsed = dialect.schema.safeParse(json)
  if (parsed.success) return { ok: true, message: parsed.data }
  const issue = parsed.error.issues[0]
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : ''
  return refuse('bad-message', `bad "${type}" message: ${where}${issue?.message ?? 'invalid'}`)
}
