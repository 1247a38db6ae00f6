import { z } from 'zod'

const PositiveSchema = z.coerce.number().positive().finite()

/**
 * Limits read over their defaults, as runtime config carries them (env
 * values arrive as strings): each given value that is a positive number
 * replaces its default; any other is refused and its default kept, so a typo
 * never turns a limit off. Names the defaults lack are ignored. The server's
 * limits and a host tab's both read theirs with this.
 */
export function limitsOverDefaults<T extends Record<string, number>>(defaults: T, value: unknown): { limits: T, refused: Array<{ name: keyof T & string, given: unknown }> } {
  const limits = { ...defaults }
  const refused: Array<{ name: keyof T & string, given: unknown }> = []
  const given = typeof value === 'object' && value !== null ? value : {}
  for (const name of Object.keys(defaults) as Array<keyof T & string>) {
    const raw: unknown = Reflect.get(given, name)
    if (raw === undefined) continue
    const parsed = PositiveSchema.safeParse(raw)
    if (parsed.success) limits[name] = parsed.data as T[keyof T & string]
    else refused.push({ name, given: raw })
  }
  return { limits, refused }
}
