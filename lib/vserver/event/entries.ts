/** A form or query object: one value per name, or an array when the name repeats. */
export type Grouped<T> = Record<string, T | T[]>

/** Group name/value pairs as h3 does for queries and forms. `__proto__` is kept as a plain key. */
export function groupEntries<T>(entries: Iterable<[string, T]>): Grouped<T> {
  const grouped = new Map<string, T | T[]>()
  for (const [name, value] of entries) {
    const previous = grouped.get(name)
    if (previous === undefined) grouped.set(name, value)
    else if (Array.isArray(previous)) previous.push(value)
    else grouped.set(name, [previous, value])
  }
  return Object.fromEntries(grouped)
}
