export { createDatabase, checkCollectionName } from './database'
export { MemoryDocumentStore } from './memory-store'
export { MAX_DOCUMENT_BYTES, MAX_DEPTH } from './json'
export type * from './types'
