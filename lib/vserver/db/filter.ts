import { compareValues } from './compare'
import { dbError, isPlainObject, jsonEqual, toJson } from './json'
import { getPath, splitPath } from './paths'
import type { JsonValue } from './types'

/** A compiled filter: true when the document matches. */
export type Predicate = (doc: JsonValue) => boolean
type ValueTest = (value: JsonValue | undefined) => boolean

const OPERATORS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$contains', '$exists'] as const
type Operator = typeof OPERATORS[number]
const isOperator = (key: string): key is Operator => (OPERATORS as readonly string[]).includes(key)

const RANGE: Record<'$gt' | '$gte' | '$lt' | '$lte', (sign: number) => boolean> = {
  $gt: sign => sign > 0,
  $gte: sign => sign >= 0,
  $lt: sign => sign < 0,
  $lte: sign => sign <= 0,
}

function all<T>(tests: Array<(value: T) => boolean>): (value: T) => boolean {
  if (tests.length === 1 && tests[0]) return tests[0]
  return value => tests.every(test => test(value))
}

function operand(value: unknown, where: string, label: string): JsonValue {
  if (value === undefined) throw dbError(where, `${label} is undefined; use { $exists: false } to find documents without a field`)
  return toJson(value, where, label)
}

function membership(value: unknown, where: string, label: string): ValueTest {
  if (!Array.isArray(value)) throw dbError(where, `${label} needs an array`)
  const items = value.map((item: unknown, i) => operand(item, where, `${label}.${i}`))
  const primitives = new Set(items.filter(item => typeof item !== 'object' || item === null))
  const composites = items.filter(item => typeof item === 'object' && item !== null)
  return (v) => {
    if (v === undefined) return false
    if (typeof v !== 'object' || v === null) return primitives.has(v)
    return composites.some(item => jsonEqual(item, v))
  }
}

function compileOperator(op: Operator, raw: unknown, where: string, label: string): ValueTest {
  switch (op) {
    case '$eq': { const x = operand(raw, where, label); return v => jsonEqual(v, x) }
    case '$ne': { const x = operand(raw, where, label); return v => !jsonEqual(v, x) }
    case '$gt': case '$gte': case '$lt': case '$lte': {
      if (typeof raw !== 'number' && typeof raw !== 'string') throw dbError(where, `${label} needs a number or a string`)
      const test = RANGE[op]
      return v => typeof v === typeof raw && test(compareValues(v, raw))
    }
    case '$in': return membership(raw, where, label)
    case '$nin': { const inside = membership(raw, where, label); return v => !inside(v) }
    case '$contains': {
      const x = operand(raw, where, label)
      return v => typeof v === 'string' ? typeof x === 'string' && v.includes(x) : Array.isArray(v) && v.some(item => jsonEqual(item, x))
    }
    case '$exists': {
      if (typeof raw !== 'boolean') throw dbError(where, `${label} needs true or false`)
      return v => (v !== undefined) === raw
    }
    default: {
      const never: never = op
      throw dbError(where, `unknown operator ${String(never)}`)
    }
  }
}

function compileOperators(ops: Record<string, unknown>, where: string, path: string): ValueTest {
  const tests = Object.keys(ops).map((key) => {
    if (!isOperator(key)) throw dbError(where, `unknown operator "${key}" on "${path}" (known: ${OPERATORS.join(', ')})`)
    return compileOperator(key, ops[key], where, `${path}.${key}`)
  })
  return all(tests)
}

function isOperatorObject(value: unknown, where: string, path: string): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false
  const keys = Object.keys(value)
  const dollars = keys.filter(key => key.startsWith('$')).length
  if (dollars > 0 && dollars < keys.length) throw dbError(where, `"${path}" mixes operators and field names`)
  return dollars > 0
}

function compileField(path: string, value: unknown, where: string): Predicate {
  const parts = splitPath(path, where)
  const test = isOperatorObject(value, where, path)
    ? compileOperators(value, where, path)
    : compileOperator('$eq', value, where, path)
  return doc => test(getPath(doc, parts))
}

function compileLogical(key: '$and' | '$or', value: unknown, where: string): Predicate {
  if (!Array.isArray(value) || value.length === 0) throw dbError(where, `${key} needs a non-empty array of filters`)
  const parts = value.map((item: unknown) => compileFilter(item, where))
  return key === '$and' ? all(parts) : doc => parts.some(part => part(doc))
}

/** Compile a filter once so it runs fast over many documents; a malformed filter is a 400. */
export function compileFilter(filter: unknown, where: string): Predicate {
  if (filter === undefined || filter === null) return () => true
  if (!isPlainObject(filter)) throw dbError(where, `a filter must be a plain object like { author: "ada" }, got ${Array.isArray(filter) ? 'an array' : typeof filter}`)
  const tests = Object.keys(filter).map((key): Predicate => {
    if (key === '$and' || key === '$or') return compileLogical(key, filter[key], where)
    if (key.startsWith('$')) throw dbError(where, `"${key}" is not a filter operator here (only $and and $or go at the top)`)
    return compileField(key, filter[key], where)
  })
  return tests.length === 0 ? () => true : all(tests)
}
