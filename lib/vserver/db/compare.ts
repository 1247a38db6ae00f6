import type { JsonValue } from './types'

function rank(value: JsonValue | undefined): number {
  if (value === undefined) return 0
  if (value === null) return 1
  switch (typeof value) {
    case 'number': return 2
    case 'string': return 3
    case 'boolean': return 4
    default: return Array.isArray(value) ? 5 : 6
  }
}

/**
 * Order of `find`'s sort: missing < null < numbers < strings < booleans <
 * arrays < objects. Strings compare by UTF-16 code units (not locale), so the
 * order is the same in every browser; arrays and objects by their JSON text.
 */
export function compareValues(a: JsonValue | undefined, b: JsonValue | undefined): number {
  const ra = rank(a)
  const rb = rank(b)
  if (ra !== rb) return ra - rb
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  if (ra < 5) return 0
  const ja = JSON.stringify(a)
  const jb = JSON.stringify(b)
  return ja < jb ? -1 : ja > jb ? 1 : 0
}
