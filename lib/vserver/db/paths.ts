import { dbError } from './json'
import type { JsonObject, JsonValue } from './types'

const INDEX = /^(?:0|[1-9]\d*)$/

/** Split a dotted path (`author.name`, `tags.0`) into its parts, refusing empty parts and `$` names. */
export function splitPath(path: string, where: string): string[] {
  const parts = path.split('.')
  for (const part of parts) {
    if (part === '' || part.startsWith('$') || part === '__proto__') {
      throw dbError(where, `"${path}" is not a field path (use names joined by dots, like "author.name")`)
    }
  }
  return parts
}

/** The value at `parts` inside `value`, or undefined; numeric parts index arrays. */
export function getPath(value: JsonValue | undefined, parts: readonly string[]): JsonValue | undefined {
  let current = value
  for (const part of parts) {
    if (typeof current !== 'object' || current === null) return undefined
    if (Array.isArray(current)) {
      if (!INDEX.test(part)) return undefined
      current = current[Number(part)]
    }
    else {
      current = Object.hasOwn(current, part) ? current[part] : undefined
    }
  }
  return current
}

type Container = JsonObject | JsonValue[]

function child(container: Container, part: string): JsonValue | undefined {
  if (Array.isArray(container)) return INDEX.test(part) ? container[Number(part)] : undefined
  return Object.hasOwn(container, part) ? container[part] : undefined
}

function assign(container: Container, part: string, value: JsonValue, where: string, path: string): void {
  if (!Array.isArray(container)) {
    container[part] = value
    return
  }
  const index = INDEX.test(part) ? Number(part) : -1
  if (index < 0 || index > container.length) throw dbError(where, `cannot set "${path}": "${part}" is not an index of the array (0–${container.length})`)
  container[index] = value
}

/** The container that holds the last part of `parts`, creating objects on the way when `create`. */
function parentOf(root: JsonObject, parts: readonly string[], where: string, create: boolean): Container | null {
  let current: Container = root
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i] ?? ''
    let next = child(current, part)
    if (next === undefined) {
      if (!create) return null
      next = {}
      assign(current, part, next, where, parts.join('.'))
    }
    if (typeof next !== 'object' || next === null) {
      if (!create) return null
      throw dbError(where, `cannot set "${parts.join('.')}": "${parts.slice(0, i + 1).join('.')}" is ${next === null ? 'null' : `a ${typeof next}`}, not an object`)
    }
    current = next
  }
  return current
}

/** Set the value at `parts` in a mutable object, creating intermediate objects. */
export function setPath(root: JsonObject, parts: readonly string[], value: JsonValue, where: string): void {
  const parent = parentOf(root, parts, where, true)
  if (parent) assign(parent, parts[parts.length - 1] ?? '', value, where, parts.join('.'))
}

/** Remove the value at `parts` from a mutable object; an array element is removed and later ones shift. */
export function unsetPath(root: JsonObject, parts: readonly string[], where: string): void {
  const parent = parentOf(root, parts, where, false)
  const last = parts[parts.length - 1] ?? ''
  if (!parent) return
  if (!Array.isArray(parent)) {
    Reflect.deleteProperty(parent, last)
    return
  }
  if (INDEX.test(last) && Number(last) < parent.length) parent.splice(Number(last), 1)
}
