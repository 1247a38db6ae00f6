/**
 * Declarations of every global a site module sees, for the editor:
 * `monaco.languages.typescript.javascriptDefaults.addExtraLib(SITE_GLOBALS_DTS, 'file:///peerserver-globals.d.ts')`.
 * Kept by hand beside `helpers.ts`; a test checks that every installed global is declared and that it compiles.
 */
export const SITE_GLOBALS_DTS = `
interface H3Event {
  /** Upper-case request method, e.g. "GET". */
  readonly method: string
  /** Path and query as requested, e.g. "/posts/1?x=2". */
  readonly path: string
  readonly url: URL
  readonly headers: Headers
  readonly context: { params: Record<string, string>, [key: string]: unknown }
  readonly signal: AbortSignal | undefined
}
interface UploadedFile { filename: string, type: string, data: Uint8Array }
interface MultipartPart { name: string, filename?: string, type?: string, data: Uint8Array }
interface CookieOptions {
  maxAge?: number, expires?: Date, domain?: string, path?: string, httpOnly?: boolean, secure?: boolean,
  sameSite?: boolean | 'lax' | 'strict' | 'none', partitioned?: boolean, priority?: 'low' | 'medium' | 'high'
}
interface Session<T extends Record<string, any> = Record<string, any>> {
  readonly id: string
  readonly data: T
  /** Merge a patch into the session data and store it. */
  update(patch: Partial<T> | ((data: T) => Partial<T> | undefined)): Promise<Session<T>>
  /** Forget the data and start over with a new id (log out). */
  clear(): Promise<Session<T>>
}
interface HttpError extends Error { readonly status: number, readonly statusCode: number, readonly statusMessage?: string, readonly data?: unknown }
type DbDocument = { _id: string, [key: string]: any }
type DbFilter = Record<string, any>
interface DbFindOptions { sort?: Record<string, 1 | -1>, limit?: number, skip?: number, fields?: string[] }
interface DbCollection<T extends DbDocument = DbDocument> {
  readonly name: string
  insert(doc: Partial<T>): Promise<T>
  insert(docs: Partial<T>[]): Promise<T[]>
  get(id: string): Promise<T | null>
  find(filter?: DbFilter, options?: DbFindOptions): Promise<T[]>
  findOne(filter?: DbFilter, options?: Omit<DbFindOptions, 'limit'>): Promise<T | null>
  update(target: string | DbFilter, patch: Record<string, any>, options?: { multi?: boolean }): Promise<number>
  remove(target: string | DbFilter): Promise<number>
  count(filter?: DbFilter): Promise<number>
}
interface Database {
  collection<T extends DbDocument = DbDocument>(name: string): DbCollection<T>
  collections(): Promise<string[]>
  drop(name: string): Promise<boolean>
}
type EventHandler<T = unknown> = (event: H3Event) => T | Promise<T>

/** Define a route: \`export default defineHandler(async (event) => ...)\`. Return a string (HTML), an object (JSON), bytes or a Response. */
declare function defineHandler<T>(handler: EventHandler<T> | { handler: EventHandler<T> }): EventHandler<T>
declare const defineEventHandler: typeof defineHandler
declare const eventHandler: typeof defineHandler
/** The query string; a repeated name gives an array. */
declare function getQuery<T = Record<string, string | string[]>>(event: H3Event): T
/** A route param (\`[id]\` in the file name), decoded. */
declare function getRouterParam(event: H3Event, name: string): string | undefined
declare function getRouterParams(event: H3Event): Record<string, string>
/** A request header, case-insensitive. */
declare function getHeader(event: H3Event, name: string): string | undefined
declare const getRequestHeader: typeof getHeader
declare function getHeaders(event: H3Event): Record<string, string>
declare const getRequestHeaders: typeof getHeaders
declare function getMethod(event: H3Event): string
declare function getRequestURL(event: H3Event): URL
/** The body by Content-Type: JSON, urlencoded or multipart form (files as UploadedFile), text, bytes. Malformed → 400. */
declare function readBody<T = any>(event: H3Event): Promise<T>
declare function readRawBody(event: H3Event, encoding?: 'utf8'): Promise<string | undefined>
declare function readRawBody(event: H3Event, encoding: false): Promise<Uint8Array | undefined>
declare function readMultipartFormData(event: H3Event): Promise<MultipartPart[] | undefined>
declare function setHeader(event: H3Event, name: string, value: string | number | readonly string[]): void
declare const setResponseHeader: typeof setHeader
declare function appendHeader(event: H3Event, name: string, value: string | number | readonly string[]): void
declare function getResponseHeader(event: H3Event, name: string): string | undefined
declare function setResponseStatus(event: H3Event, code: number, text?: string): void
/** \`return sendRedirect(event, '/login')\` */
declare function sendRedirect(event: H3Event, location: string, code?: number): string
/** \`throw createError({ statusCode: 404, message: 'No such post' })\`: the visitor sees the status and message. */
declare function createError(input: string | { statusCode?: number, status?: number, statusMessage?: string, message?: string, data?: unknown }): HttpError
declare function isError(value: unknown): value is HttpError
declare function getCookie(event: H3Event, name: string): string | undefined
declare function parseCookies(event: H3Event): Record<string, string>
/** Set a cookie (Path=/ unless given). */
declare function setCookie(event: H3Event, name: string, value: string, options?: CookieOptions): void
declare function deleteCookie(event: H3Event, name: string, options?: CookieOptions): void
/** The visitor's session (signed, HttpOnly cookie). */
declare function useSession<T extends Record<string, any> = Record<string, any>>(event: H3Event, options?: { name?: string, maxAge?: number }): Promise<Session<T>>
/** Render views/<view>.mustache with data, inside views/layout.mustache when there is one. */
declare function render(view: string, data?: object): Promise<string>
/** The site's database: named collections of JSON documents. */
declare const db: Database
/** PBKDF2-SHA256 hash with a random salt, as "pbkdf2$iterations$salt$hash". */
declare function hashPassword(password: string, iterations?: number): Promise<string>
declare function verifyPassword(password: string, hash: string): Promise<boolean>
/** Random bytes (default 16) as a base64url string. */
declare function randomId(bytes?: number): string
/** SHA-256 as hex. */
declare function sha256(input: string | Uint8Array): Promise<string>
`
