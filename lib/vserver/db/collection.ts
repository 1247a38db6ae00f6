import { z } from 'zod'
import { compileFilter } from './filter'
import { checkId, generateId } from './ids'
import { checkSize, dbError, isPlainObject, toJsonObject } from './json'
import { cloneDocument, parseFindOptions, runQuery, zodProblem } from './query'
import { applyPatch } from './update'
import type { Collection, DbDocument, DocumentInput, DocumentStore, FindOneOptions, FindOptions, UpdatePatch } from './types'

const UpdateOptionsSchema = z.strictObject({ multi: z.boolean().optional() })

/**
 * A collection over a `DocumentStore`. Every call checks all its input and
 * computes every new document before it writes anything, and writes in one
 * store transaction, so a refused call stores nothing.
 */
export class DbCollection implements Collection {
  constructor(private readonly store: DocumentStore, readonly name: string) {}

  insert(doc: DocumentInput): Promise<DbDocument>
  insert(docs: DocumentInput[]): Promise<DbDocument[]>
  async insert(input: DocumentInput | DocumentInput[]): Promise<DbDocument | DbDocument[]> {
    const where = this.where('insert')
    if (!Array.isArray(input)) {
      const doc = this.prepare(input, where)
      this.checkUnique([doc], where)
      this.write([doc])
      return cloneDocument(doc)
    }
    const docs = input.map((doc: unknown, i) => this.prepare(doc, `${where} [${i}]`))
    this.checkUnique(docs, where)
    this.write(docs)
    return docs.map(cloneDocument)
  }

  async get(id: string): Promise<DbDocument | null> {
    const doc = this.store.get(this.name, checkId(id, this.where('get')))
    return doc ? cloneDocument(doc) : null
  }

  async find(filter?: unknown, options?: FindOptions): Promise<DbDocument[]> {
    const where = this.where('find')
    const predicate = compileFilter(filter, where)
    return runQuery(this.store.list(this.name), predicate, parseFindOptions(options, where), where)
  }

  async findOne(filter?: unknown, options?: FindOneOptions): Promise<DbDocument | null> {
    const where = this.where('findOne')
    const query = parseFindOptions(options, where)
    const [first] = runQuery(this.store.list(this.name), compileFilter(filter, where), { ...query, limit: 1 }, where)
    return first ?? null
  }

  async update(target: unknown, patch: UpdatePatch, options?: { multi?: boolean }): Promise<number> {
    const where = this.where('update')
    const parsed = UpdateOptionsSchema.safeParse(options ?? {})
    if (!parsed.success) zodProblem(where, 'options', parsed.error)
    const targets = this.targets(target, where, parsed.data.multi ?? false)
    // With nothing to change, still try the patch on an empty document so a malformed one is reported.
    if (targets.length === 0) applyPatch({ _id: '-' }, patch, where)
    const next = targets.map(doc => applyPatch(doc, patch, where))
    this.write(next)
    return next.length
  }

  async remove(target: unknown): Promise<number> {
    const ids = this.targets(target, this.where('remove'), true).map(doc => doc._id)
    this.store.transact(() => {
      for (const id of ids) this.store.delete(this.name, id)
    })
    return ids.length
  }

  async count(filter?: unknown): Promise<number> {
    const predicate = compileFilter(filter, this.where('count'))
    let n = 0
    for (const doc of this.store.list(this.name)) if (predicate(doc)) n++
    return n
  }

  private where(method: string): string {
    return `${this.name}.${method}`
  }

  private prepare(input: unknown, where: string): DbDocument {
    const { _id: given, ...fields } = toJsonObject(input, where)
    const doc = { _id: given === undefined ? this.newId() : checkId(given, where), ...fields }
    checkSize(doc, where)
    return doc
  }

  private newId(): string {
    let id = generateId()
    while (this.store.get(this.name, id)) id = generateId()
    return id
  }

  private checkUnique(docs: DbDocument[], where: string): void {
    const seen = new Set<string>()
    for (const doc of docs) {
      if (seen.has(doc._id) || this.store.get(this.name, doc._id)) throw dbError(where, `a document with _id "${doc._id}" already exists`)
      seen.add(doc._id)
    }
  }

  private targets(target: unknown, where: string, multi: boolean): DbDocument[] {
    if (typeof target === 'string') {
      const doc = this.store.get(this.name, checkId(target, where))
      return doc ? [doc] : []
    }
    if (!isPlainObject(target)) throw dbError(where, 'expects an _id (a string) or a filter (an object)')
    const predicate = compileFilter(target, where)
    const found: DbDocument[] = []
    for (const doc of this.store.list(this.name)) {
      if (!predicate(doc)) continue
      found.push(doc)
      if (!multi) break
    }
    return found
  }

  private write(docs: DbDocument[]): void {
    if (docs.length === 0) return
    this.store.transact(() => {
      for (const doc of docs) this.store.set(this.name, doc)
    })
  }
}
