import { checkCollectionName } from '../vserver/db'
import type { Collection, Database, DbDocument, DocumentInput, Filter, FindOneOptions, FindOptions, UpdatePatch } from '../vserver/db'
import type { SessionData, SessionStore } from '../vserver/event'
import type { FileEntry, FileStore } from '../vserver/files'
import { VServerError } from '../vserver/types'
import type { RpcClient } from './rpc-client'
import { RPC_RESULTS } from './rpc-schema'
import type { DbReadCache } from './db-cache'

/** The site's files as the worker sees them, and how the page tells it they changed. */
export interface FileStoreProxy extends FileStore {
  /** These paths changed on the page (null: any may have): what the worker knew of them is forgotten. */
  changed(paths: string[] | null): void
}

/**
 * The site's files, read from the page. Reads are cached by etag: the page
 * sends a file's content only when the worker's copy is not current. With
 * `told` (the page sends `files-changed` for every change, ahead of any
 * later request), `stat` and `list` answers are kept until a change touches
 * them, so a request no longer asks the page where its route, modules and
 * views are each time. Handlers only read, so writes are refused.
 */
export function createFileStoreProxy(rpc: RpcClient, told = false): FileStoreProxy {
  const cache = new Map<string, { etag: string, data: Uint8Array }>()
  const stats = new Map<string, FileEntry | null>()
  const lists = new Map<string, FileEntry[]>()
  // Bumped by each change: an answer asked for before it may be stale, and is not kept.
  let generation = 0
  const readOnly = (what: string) => Promise.reject(new VServerError(500, `files.${what}: site files are read-only in handlers`))
  async function remembered<T>(known: Map<string, T>, key: string, ask: () => Promise<T>): Promise<T> {
    if (told && known.has(key)) return known.get(key) as T
    const asked = generation
    const value = await ask()
    if (told && asked === generation) known.set(key, value)
    return value
  }
  return {
    changed(paths) {
      generation++
      lists.clear()
      if (paths === null) stats.clear()
      else for (const path of paths) stats.delete(path)
    },
    stat: path => remembered(stats, path, () => rpc.call(RPC_RESULTS['files.stat'], { method: 'files.stat', path })),
    // A copy: the kept answer must not change with what a caller does to it.
    list: async prefix => [...await remembered(lists, prefix ?? '', () => rpc.call(RPC_RESULTS['files.list'], { method: 'files.list', prefix }))],
    async read(path) {
      const cached = cache.get(path)
      const result = await rpc.call(RPC_RESULTS['files.read'], { method: 'files.read', path, etag: cached?.etag })
      if (result === null) {
        cache.delete(path)
        return null
      }
      if ('data' in result) {
        const data = new Uint8Array(result.data)
        cache.set(path, { etag: result.etag, data })
        return data
      }
      if (cached?.etag === result.etag) return cached.data
      throw new Error(`files.read ${path}: the page answered "unchanged" for a version this worker does not hold`)
    },
    write: (): Promise<FileEntry> => readOnly('write'),
    delete: (): Promise<boolean> => readOnly('delete'),
  }
}

/** Reads go through `cache` when there is one (the page tells the worker what changed); writes always go to the page. */
function proxyCollection(rpc: RpcClient, collection: string, cache: DbReadCache | null): Collection {
  const read = <T>(call: readonly unknown[], ask: () => Promise<T>): Promise<T> => (cache ? cache.read(collection, call, ask) : ask())
  function insert(doc: DocumentInput): Promise<DbDocument>
  function insert(docs: DocumentInput[]): Promise<DbDocument[]>
  async function insert(docs: DocumentInput | DocumentInput[]): Promise<DbDocument | DbDocument[]> {
    const stored = await rpc.call(RPC_RESULTS['db.insert'], { method: 'db.insert', collection, docs })
    if (Array.isArray(docs) !== Array.isArray(stored)) throw new Error('db.insert: the page answered with the wrong number of documents')
    return stored
  }
  return {
    name: collection,
    insert,
    get: (id: string) => read(['get', id], () => rpc.call(RPC_RESULTS['db.get'], { method: 'db.get', collection, id })),
    find: (filter?: Filter, options?: FindOptions) =>
      read(['find', filter ?? null, options ?? null], () => rpc.call(RPC_RESULTS['db.find'], { method: 'db.find', collection, filter, options })),
    findOne: (filter?: Filter, options?: FindOneOptions) =>
      read(['findOne', filter ?? null, options ?? null], () => rpc.call(RPC_RESULTS['db.findOne'], { method: 'db.findOne', collection, filter, options })),
    update: (target: string | Filter, patch: UpdatePatch, options?: { multi?: boolean }) =>
      rpc.call(RPC_RESULTS['db.update'], { method: 'db.update', collection, target, patch, options }),
    remove: (target: string | Filter) => rpc.call(RPC_RESULTS['db.remove'], { method: 'db.remove', collection, target }),
    count: (filter?: Filter) => read(['count', filter ?? null], () => rpc.call(RPC_RESULTS['db.count'], { method: 'db.count', collection, filter })),
  }
}

/** The site's database, which lives on the page: every collection method is a call there, unless `cache` holds the answer. */
export function createDatabaseProxy(rpc: RpcClient, cache: DbReadCache | null = null): Database {
  const collections = () => rpc.call(RPC_RESULTS['db.collections'], { method: 'db.collections' })
  return {
    collection: name => proxyCollection(rpc, checkCollectionName(name), cache),
    collections: () => (cache ? cache.read(null, ['collections'], collections) : collections()),
    drop: name => rpc.call(RPC_RESULTS['db.drop'], { method: 'db.drop', name: checkCollectionName(name) }),
    onChange: () => {
      throw new Error('db.onChange: handlers cannot subscribe to changes (the studio can)')
    },
  }
}

/** Sessions kept on the page, so they outlive a replaced worker. */
export function createSessionStoreProxy(rpc: RpcClient): SessionStore {
  return {
    get: async (sid): Promise<SessionData | undefined> => (await rpc.call(RPC_RESULTS['sessions.get'], { method: 'sessions.get', sid })) ?? undefined,
    set: async (sid, data) => {
      await rpc.call(RPC_RESULTS['sessions.set'], { method: 'sessions.set', sid, data })
    },
    delete: async (sid) => {
      await rpc.call(RPC_RESULTS['sessions.delete'], { method: 'sessions.delete', sid })
    },
  }
}
