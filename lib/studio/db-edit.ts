import type { DbDocument, JsonObject, JsonValue, UpdatePatch } from '../vserver/db/types'
import { keyProblem } from '../vserver/db/json'
import { errorMessage } from '../../shared/error-message'

/** The outcome of checking an edited document: the document to store, or why it cannot be stored. */
export type DocumentEditResult = { ok: true, doc: JsonObject } | { ok: false, message: string }

const MAX_ID_LENGTH = 256

class EditProblem extends Error {}

function toJsonValue(value: unknown, path: string): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value
  if (Array.isArray(value)) return value.map((item: unknown, i) => toJsonValue(item, path ? `${path}.${i}` : String(i)))
  if (typeof value !== 'object') throw new EditProblem(`"${path}" is not JSON`)
  const out: JsonObject = {}
  for (const [key, item] of Object.entries(value)) {
    const where = path ? `${path}.${key}` : key
    const problem = keyProblem(key)
    if (problem) throw new EditProblem(`The field name "${where}" ${problem}.`)
    out[key] = toJsonValue(item, where)
  }
  return out
}

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return `a ${typeof value}`
}

function checkId(value: JsonValue | undefined, expectedId: string | undefined): string | undefined {
  if (expectedId !== undefined) {
    if (value !== undefined && value !== expectedId) {
      throw new EditProblem(`The _id cannot change (it is ${JSON.stringify(expectedId)}); use "New document" to store a copy.`)
    }
    return expectedId
  }
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value === '' || value.length > MAX_ID_LENGTH) {
    throw new EditProblem(`The _id must be a non-empty string of at most ${MAX_ID_LENGTH} characters; leave it out to get a generated one.`)
  }
  return value
}

/**
 * Check the text of an edited document: JSON, an object, field names the
 * database accepts, and the `_id` unchanged when `expectedId` is given (left
 * out, it is kept). Without `expectedId` (a new document) an `_id` is optional.
 */
export function parseDocumentEdit(text: string, expectedId?: string): DocumentEditResult {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  }
  catch (error) {
    const reason = errorMessage(error)
    return { ok: false, message: text.trim() === '' ? 'The document is empty; write a JSON object such as {}.' : `Not valid JSON: ${reason}` }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, message: `A document must be a JSON object ({ … }), not ${kindOf(parsed)}.` }
  }
  try {
    const { _id: given, ...fields } = toJsonObject(parsed)
    const id = checkId(given, expectedId)
    return { ok: true, doc: id === undefined ? fields : { _id: id, ...fields } }
  }
  catch (error) {
    if (error instanceof EditProblem) return { ok: false, message: error.message }
    throw error
  }
}

function toJsonObject(value: object): JsonObject {
  const json = toJsonValue(value, '')
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new EditProblem('A document must be a JSON object.')
  return json
}

/**
 * The update that turns `current` into `next` in one atomic call: every field
 * of `next` under `$set`, every field only `current` has under `$unset`.
 * Top-level names only, which are never dotted (`parseDocumentEdit` refuses dots).
 */
export function replacementPatch(current: DbDocument, next: JsonObject): UpdatePatch {
  const $set: Record<string, JsonValue> = {}
  for (const [key, value] of Object.entries(next)) if (key !== '_id') $set[key] = value
  const $unset = Object.keys(current).filter(key => key !== '_id' && !Object.hasOwn(next, key))
  return { $set, $unset }
}
