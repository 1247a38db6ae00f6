import type { Database, DbDocument } from '../vserver/db'
import type { SessionStore } from '../vserver/event'
import type { FileStore } from '../vserver/files'
import { VServerError } from '../vserver/types'
import { toTransferable } from './protocol'
import { RpcLimitError, rpcLimits, type RpcLimits } from './rpc-limits'
import type { FileReadResult, RpcCall, RpcFailure } from './rpc-schema'

/** The real objects the worker's proxies stand for; they live on the page. */
export interface SiteData {
  files: FileStore
  db?: Database
  sessions: SessionStore
}

/** An answer and the buffers to transfer with it. */
export interface RpcAnswer { value: unknown, transfer: Transferable[] }

function database(site: SiteData): Database {
  if (!site.db) throw new VServerError(500, 'db: this site has no database')
  return site.db
}

async function readFile(files: FileStore, path: string, etag: string | undefined): Promise<RpcAnswer> {
  const entry = await files.stat(path)
  if (!entry) return { value: null, transfer: [] }
  if (entry.etag === etag) return { value: { etag, unchanged: true } satisfies FileReadResult, transfer: [] }
  const bytes = await files.read(path)
  if (!bytes) return { value: null, transfer: [] }
  const data = toTransferable(bytes)
  return { value: { etag: entry.etag, data } satisfies FileReadResult, transfer: [data] }
}

type DbCall = Extract<RpcCall, { method: `db.${string}` }>

/** `find` with at most `maxDocuments` + 1 copied, so a match too many is refused without copying the rest. */
async function find(call: Extract<DbCall, { method: 'db.find' }>, db: Database, limits: Required<RpcLimits>): Promise<DbDocument[]> {
  const { maxDocuments, maxResultBytes } = limits
  const limit = Math.min(call.options?.limit ?? maxDocuments + 1, maxDocuments + 1)
  const docs = await db.collection(call.collection).find(call.filter, { ...call.options, limit })
  const where = `${call.collection}.find`
  if (docs.length > maxDocuments) throw new RpcLimitError(`${where}: more than ${maxDocuments} documents match (limit ${maxDocuments}); page through them with limit and skip`)
  let bytes = 0
  for (const doc of docs) {
    bytes += JSON.stringify(doc).length
    if (bytes > maxResultBytes) throw new RpcLimitError(`${where}: the documents are over ${maxResultBytes} bytes as JSON (limit ${maxResultBytes}); ask for fewer (limit) or fewer fields (fields)`)
  }
  return docs
}

async function answerDb(call: DbCall, db: Database, limits: Required<RpcLimits>): Promise<unknown> {
  switch (call.method) {
    case 'db.collections': return db.collections()
    case 'db.drop': return db.drop(call.name)
    case 'db.insert': {
      const collection = db.collection(call.collection)
      if (!Array.isArray(call.docs)) return collection.insert(call.docs)
      if (call.docs.length > limits.maxDocuments) throw new RpcLimitError(`${call.collection}.insert: ${call.docs.length} documents at once (limit ${limits.maxDocuments}); nothing was stored`)
      return collection.insert(call.docs)
    }
    case 'db.get': return db.collection(call.collection).get(call.id)
    case 'db.find': return find(call, db, limits)
    case 'db.findOne': return db.collection(call.collection).findOne(call.filter, call.options)
    case 'db.update': return db.collection(call.collection).update(call.target, call.patch, call.options)
    case 'db.remove': return db.collection(call.collection).remove(call.target)
    case 'db.count': return db.collection(call.collection).count(call.filter)
    default: {
      const never: never = call
      throw new Error(`unknown database call ${JSON.stringify(never)}`)
    }
  }
}

/** Answer one of the worker's calls from the page's real files, database and sessions, within `limits` (documents and bytes a call). */
export async function answerRpc(call: RpcCall, site: SiteData, limits: Required<RpcLimits> = rpcLimits()): Promise<RpcAnswer> {
  const plain = (value: unknown): RpcAnswer => ({ value, transfer: [] })
  switch (call.method) {
    case 'files.stat': return plain(await site.files.stat(call.path))
    case 'files.read': return readFile(site.files, call.path, call.etag)
    case 'files.list': return plain(await site.files.list(call.prefix))
    case 'sessions.get': return plain((await site.sessions.get(call.sid)) ?? null)
    case 'sessions.set': return plain(await site.sessions.set(call.sid, call.data).then(() => null))
    case 'sessions.delete': return plain(await site.sessions.delete(call.sid).then(() => null))
    default: return plain(await answerDb(call, database(site), limits))
  }
}

/** A thrown value as the worker rethrows it; a `VServerError` keeps its status. */
export function toFailure(error: unknown): RpcFailure {
  if (error instanceof VServerError) return { name: error.name, message: error.message, status: error.status }
  if (error instanceof Error) return { name: error.name, message: error.message }
  return { name: 'Error', message: String(error) }
}
