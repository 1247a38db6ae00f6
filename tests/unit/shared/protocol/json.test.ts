import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { decodeJsonMessage, isOverUtf8Limit, messageTypes, type JsonRefusalCode } from '../../../../shared/protocol/json'

// A made-up dialect: the decoder knows nothing of signaling.
const MessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('say'), text: z.string().max(10, 'text is at most 10 characters') }),
  z.object({ type: z.literal('ping') }),
])
const dialect = {
  schema: MessageSchema,
  types: messageTypes(MessageSchema),
  maxBytes: 64,
  error: (code: JsonRefusalCode, message = `default ${code}`) => ({ code, message }),
}

describe('decodeJsonMessage', () => {
  it.each([
    ['{"type":"ping"}', { type: 'ping' }],
    ['{"type":"say","text":"hi"}', { type: 'say', text: 'hi' }],
    [' {"type":"say","text":"hi","extra":1} ', { type: 'say', text: 'hi' }],
  ])('decodes %s', (text, message) => {
    expect(decodeJsonMessage(text, dialect)).toEqual({ ok: true, message })
  })

  it.each<[string, string, JsonRefusalCode, string | RegExp]>([
    ['a message over the limit', `{"type":"say","text":"${'a'.repeat(60)}"}`, 'too-large', 'default too-large'],
    ['a message over the limit in UTF-8 only', `{"type":"say","text":"${'é'.repeat(25)}"}`, 'too-large', 'default too-large'],
    ['text that is not JSON', '{type: ping}', 'bad-json', /^the message is not JSON: SyntaxError/],
    ['an empty text', '', 'bad-json', /^the message is not JSON/],
    ['an array', '["ping"]', 'bad-message', 'a message is a JSON object with a string "type"'],
    ['null', 'null', 'bad-message', 'a message is a JSON object with a string "type"'],
    ['an object without a type', '{"text":"hi"}', 'bad-message', 'a message is a JSON object with a string "type"'],
    ['a type that is not a string', '{"type":7}', 'bad-message', 'a message is a JSON object with a string "type"'],
    ['an unknown type', '{"type":"shout"}', 'unknown-type', 'unknown message type "shout"'],
    ['a long unknown type, cut to 40 characters', `{"type":"${'x'.repeat(50)}"}`, 'unknown-type', `unknown message type "${'x'.repeat(40)}"`],
    ['a field of the wrong shape', '{"type":"say","text":"far too long"}', 'bad-message', 'bad "say" message: text: text is at most 10 characters'],
    ['a missing field', '{"type":"say"}', 'bad-message', /^bad "say" message: text: /],
  ])('refuses %s', (_name, text, code, message) => {
    const decoded = decodeJsonMessage(text, dialect)
    expect(decoded.ok).toBe(false)
    if (decoded.ok) return
    expect(decoded.error.code).toBe(code)
    if (typeof message === 'string') expect(decoded.error.message).toBe(message)
    else expect(decoded.error.message).toMatch(message)
  })
})

describe('isOverUtf8Limit', () => {
  it.each([
    ['', 0, false],
    ['abc', 3, false],
    ['abcd', 3, true],
    ['é', 2, false],
    ['é', 1, true],
    ['€', 2, true],
    ['😀', 4, false],
    ['😀', 3, true],
  ])('%j over %i bytes: %s', (text, max, over) => {
    expect(isOverUtf8Limit(text, max)).toBe(over)
  })
})

describe('messageTypes', () => {
  it('lists the type of every option', () => {
    expect([...messageTypes(MessageSchema)].sort()).toEqual(['ping', 'say'])
  })
})
