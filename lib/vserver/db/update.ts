import { checkSize, cloneObject, dbError, isPlainObject, toJson, toJsonObject } from './json'
import { getPath, setPath, splitPath, unsetPath } from './paths'
import type { DbDocument, JsonObject } from './types'

const UPDATE_OPERATORS = ['$set', '$unset', '$inc', '$push'] as const
type UpdateOperator = typeof UPDATE_OPERATORS[number]
const isUpdateOperator = (key: string): key is UpdateOperator => (UPDATE_OPERATORS as readonly string[]).includes(key)

function targetParts(path: string, where: string, op: string): string[] {
  const parts = splitPath(path, where)
  if (parts[0] === '_id') throw dbError(where, `${op} cannot change _id`)
  return parts
}

function entries(value: unknown, where: string, op: UpdateOperator): Array<[string, unknown]> {
  if (op === '$unset' && Array.isArray(value)) {
    return value.map((path: unknown): [string, unknown] => {
      if (typeof path !== 'string') throw dbError(where, '$unset needs field paths (strings) or an object of them')
      return [path, true]
    })
  }
  if (!isPlainObject(value)) throw dbError(where, `${op} needs an object of field paths, like { "${op === '$inc' ? 'views' : 'title'}": ${op === '$inc' ? 1 : '"x"'} }`)
  return Object.entries(value)
}

function applyInc(doc: JsonObject, path: string, amount: unknown, where: string): void {
  const parts = targetParts(path, where, '$inc')
  if (typeof amount !== 'number' || !Number.isFinite(amount)) throw dbError(where, `$inc of "${path}" needs a finite number`)
  const current = getPath(doc, parts) ?? 0
  if (typeof current !== 'number') throw dbError(where, `$inc cannot add to "${path}": it is not a number`)
  const sum = current + amount
  if (!Number.isFinite(sum)) throw dbError(where, `$inc of "${path}" overflows to ${sum}`)
  setPath(doc, parts, sum, where)
}

function applyPush(doc: JsonObject, path: string, item: unknown, where: string): void {
  const parts = targetParts(path, where, '$push')
  if (item === undefined) throw dbError(where, `$push of "${path}" is undefined`)
  const current = getPath(doc, parts) ?? []
  if (!Array.isArray(current)) throw dbError(where, `$push cannot append to "${path}": it is not an array`)
  setPath(doc, parts, [...current, toJson(item, where, path)], where)
}

function applyOperator(doc: JsonObject, op: UpdateOperator, value: unknown, where: string): void {
  for (const [path, arg] of entries(value, where, op)) {
    switch (op) {
      case '$set':
        if (arg === undefined) throw dbError(where, `$set of "${path}" is undefined; use $unset to remove a field`)
        setPath(doc, targetParts(path, where, op), toJson(arg, where, path), where)
        break
      case '$unset': unsetPath(doc, targetParts(path, where, op), where)
        break
      case '$inc': applyInc(doc, path, arg, where)
        break
      case '$push': applyPush(doc, path, arg, where)
        break
    }
  }
}

function merge(doc: DbDocument, patch: Record<string, unknown>, where: string): JsonObject {
  const fields = toJsonObject(patch, where, 'a patch')
  if (fields._id !== undefined && fields._id !== doc._id) throw dbError(where, 'a patch cannot change _id')
  return { ...cloneObject(doc), ...fields }
}

/**
 * The document after `patch`: a shallow merge of plain fields, or the
 * operators `$set`, `$unset`, `$inc`, `$push` (dotted paths allowed). The
 * stored document is not touched; the result is checked like an insert.
 */
export function applyPatch(doc: DbDocument, patch: unknown, where: string): DbDocument {
  if (!isPlainObject(patch)) throw dbError(where, 'a patch must be a plain object like { title: "new" } or { $set: { title: "new" } }')
  const keys = Object.keys(patch)
  const operators = keys.filter(key => key.startsWith('$'))
  let next: JsonObject
  if (operators.length === 0) {
    next = merge(doc, patch, where)
  }
  else {
    if (operators.length < keys.length) throw dbError(where, 'a patch mixes operators and plain fields; put the fields under $set')
    next = cloneObject(doc)
    for (const key of operators) {
      if (!isUpdateOperator(key)) throw dbError(where, `unknown update operator "${key}" (known: ${UPDATE_OPERATORS.join(', ')})`)
      applyOperator(next, key, patch[key], where)
    }
  }
  checkSize(next, where)
  return { ...next, _id: doc._id }
}
