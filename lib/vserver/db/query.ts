import { z } from 'zod'
import { compareValues } from './compare'
import type { Predicate } from './filter'
import { cloneJson, cloneObject, dbError } from './json'
import { getPath, setPath, splitPath } from './paths'
import type { DbDocument } from './types'

const FindOptionsSchema = z.strictObject({
  sort: z.record(z.string(), z.union([z.literal(1), z.literal(-1)])).optional(),
  limit: z.number().int().min(0).optional(),
  skip: z.number().int().min(0).optional(),
  fields: z.array(z.string()).optional(),
})

/** `find` options, checked and with paths split. */
export interface Query {
  sort: Array<{ parts: string[], direction: 1 | -1 }>
  skip: number
  limit: number
  fields: string[][] | null
}

/** A 400 from the first problem zod found, with its path. */
export function zodProblem(where: string, what: string, error: z.ZodError): never {
  const issue = error.issues[0]
  const path = issue?.path.length ? `${what}.${issue.path.join('.')}` : what
  throw dbError(where, `${path}: ${issue?.message ?? 'invalid'}`)
}

/** Check `find`'s options (`sort`, `limit`, `skip`, `fields`). */
export function parseFindOptions(options: unknown, where: string): Query {
  const parsed = FindOptionsSchema.safeParse(options ?? {})
  if (!parsed.success) zodProblem(where, 'options', parsed.error)
  const { sort = {}, skip = 0, limit = Infinity, fields } = parsed.data
  return {
    sort: Object.entries(sort).map(([path, direction]) => ({ parts: splitPath(path, where), direction })),
    skip,
    limit,
    fields: fields ? fields.map(path => splitPath(path, where)) : null,
  }
}

/** A deep copy of a stored document, safe to hand to user code. */
export function cloneDocument(doc: DbDocument): DbDocument {
  return { ...cloneObject(doc), _id: doc._id }
}

function project(doc: DbDocument, fields: string[][] | null, where: string): DbDocument {
  if (!fields) return cloneDocument(doc)
  const out: DbDocument = { _id: doc._id }
  for (const parts of fields) {
    const value = getPath(doc, parts)
    if (value !== undefined) setPath(out, parts, cloneJson(value), where)
  }
  return out
}

function sorted(matches: DbDocument[], sort: Query['sort']): DbDocument[] {
  // Read every sort key once per document, not once per comparison.
  const rows = matches.map(doc => ({ doc, keys: sort.map(({ parts }) => getPath(doc, parts)) }))
  rows.sort((a, b) => {
    for (let i = 0; i < sort.length; i++) {
      const order = compareValues(a.keys[i], b.keys[i]) * (sort[i]?.direction ?? 1)
      if (order !== 0) return order
    }
    return 0
  })
  return rows.map(row => row.doc)
}

/** Run a query over a collection's documents: filter, sort (stable), skip, limit, then copy or project. */
export function runQuery(docs: Iterable<DbDocument>, predicate: Predicate, query: Query, where: string): DbDocument[] {
  const matches: DbDocument[] = []
  // Without a sort, stop as soon as the page is full.
  const enough = query.sort.length === 0 ? query.skip + query.limit : Infinity
  for (const doc of docs) {
    if (matches.length >= enough) break
    if (predicate(doc)) matches.push(doc)
  }
  const ordered = query.sort.length > 0 ? sorted(matches, query.sort) : matches
  return ordered.slice(query.skip, query.skip + query.limit).map(doc => project(doc, query.fields, where))
}

