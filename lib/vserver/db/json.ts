import { VServerError } from '../types'
import type { JsonObject, JsonValue } from './types'

/** The largest document, measured as UTF-8 JSON. */
export const MAX_DOCUMENT_BYTES = 1024 * 1024
/** How deeply objects and arrays may nest in a document. */
export const MAX_DEPTH = 64

/** A 400 error for a refused database call, prefixed with where it happened (`posts.insert`). */
export function dbError(where: string, message: string): VServerError {
  return new VServerError(400, `${where}: ${message}`)
}

/** True for `{}`-style objects (prototype Object.prototype or null), false for arrays, Dates, Maps, class instances. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined'
  if (typeof value === 'number') return String(value)
  if (typeof value === 'function') return 'a function'
  if (typeof value !== 'object' || value === null) return `a ${typeof value}`
  const proto: unknown = Object.getPrototypeOf(value)
  const ctor: unknown = typeof proto === 'object' && proto !== null ? Reflect.get(proto, 'constructor') : undefined
  return typeof ctor === 'function' && ctor.name ? `a ${ctor.name}` : 'an object that is not plain'
}

/** Why `key` cannot name a field of a stored document, or null when it can (the studio's editor checks the same). */
export function keyProblem(key: string): string | null {
  if (key === '') return 'is empty'
  if (key.startsWith('$')) return 'starts with "$" (reserved for operators)'
  if (key.includes('.')) return 'contains "." (dots separate the parts of a path)'
  if (key === '__proto__') return 'is reserved'
  return null
}

interface Walk { where: string, ancestors: Set<object> }

function walkObject(value: Record<string, unknown>, walk: Walk, path: string, depth: number): JsonObject {
  const out: JsonObject = {}
  for (const key of Object.keys(value)) {
    const problem = keyProblem(key)
    const child = path ? `${path}.${key}` : key
    if (problem) throw dbError(walk.where, `field name "${child}" ${problem}`)
    const item = value[key]
    // JSON.stringify's rule: a property whose value is undefined is left out.
    if (item !== undefined) out[key] = walkValue(item, walk, child, depth + 1)
  }
  return out
}

function walkValue(value: unknown, walk: Walk, path: string, depth: number): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number' && Number.isFinite(value)) return value
  const where = path || 'the value'
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw dbError(walk.where, `"${where}" is an invalid Date`)
    return value.toISOString()
  }
  if (typeof value !== 'object' || !(Array.isArray(value) || isPlainObject(value))) {
    throw dbError(walk.where, `"${where}" is ${describe(value)}; documents hold JSON only (strings, finite numbers, booleans, null, arrays, plain objects)`)
  }
  if (depth > MAX_DEPTH) throw dbError(walk.where, `"${where}" nests deeper than ${MAX_DEPTH} levels`)
  if (walk.ancestors.has(value)) throw dbError(walk.where, `"${where}" refers back to itself (a circular structure is not JSON)`)
  walk.ancestors.add(value)
  try {
    if (!Array.isArray(value)) return walkObject(value, walk, path, depth)
    return Array.from(value, (item: unknown, index) => walkValue(item, walk, path ? `${path}.${index}` : String(index), depth + 1))
  }
  finally {
    walk.ancestors.delete(value)
  }
}

/**
 * Check `value` is JSON and return a fresh copy of it. Rules: object
 * properties that are undefined are left out (as `JSON.stringify` does);
 * Dates become ISO strings; anything else that is not JSON is refused with a
 * 400 naming the field.
 */
export function toJson(value: unknown, where: string, path = ''): JsonValue {
  return walkValue(value, { where, ancestors: new Set() }, path, 0)
}

/** Like `toJson` for an object at the top: refuses arrays and other values. */
export function toJsonObject(value: unknown, where: string, what = 'a document'): JsonObject {
  if (!isPlainObject(value)) throw dbError(where, `${what} must be a plain object, got ${Array.isArray(value) ? 'an array' : describe(value)}`)
  return walkObject(value, { where, ancestors: new Set([value]) }, '', 0)
}

/** Refuse a document whose JSON is larger than `MAX_DOCUMENT_BYTES`. */
export function checkSize(doc: JsonObject, where: string): void {
  const json = JSON.stringify(doc)
  // Every UTF-16 unit is 1–3 UTF-8 bytes, so most documents need no encoding to be measured.
  if (json.length * 3 <= MAX_DOCUMENT_BYTES) return
  const bytes = json.length > MAX_DOCUMENT_BYTES ? json.length : new TextEncoder().encode(json).byteLength
  if (bytes > MAX_DOCUMENT_BYTES) {
    throw dbError(where, `the document is ${bytes} bytes as JSON; the limit is ${MAX_DOCUMENT_BYTES} bytes (1 MiB)`)
  }
}

/** A deep copy of a JSON value. */
export function cloneJson(value: JsonValue): JsonValue {
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return value.map(cloneJson)
  return cloneObject(value)
}

/** A deep copy of a JSON object. */
export function cloneObject(value: JsonObject): JsonObject {
  const out: JsonObject = {}
  for (const key of Object.keys(value)) {
    const item = value[key]
    if (item !== undefined) out[key] = cloneJson(item)
  }
  return out
}

/** Deep equality of JSON values (object key order does not matter). */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]))
  }
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  return keys.every(key => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]))
}
