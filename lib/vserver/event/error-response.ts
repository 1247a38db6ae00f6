import { errorPage } from '../static'
import { VServerError, type VRequest, type VResponse } from '../types'
import { HttpError } from './errors'

const REASONS: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 410: 'Gone', 413: 'Content Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content',
  429: 'Too Many Requests', 500: 'Internal Server Error', 501: 'Not Implemented', 503: 'Service Unavailable', 504: 'Gateway Timeout',
}

/** The reason phrase of a status, e.g. `Not Found`. */
export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status >= 500 ? 'Server Error' : 'Error')
}

/** A client that asked for JSON (fetch from a script) gets errors as JSON, as h3 does; a browser page gets HTML. */
function wantsJson(request: VRequest): boolean {
  const accept = request.headers.find(([name]) => name.toLowerCase() === 'accept')?.[1] ?? ''
  return accept.includes('application/json') && !accept.includes('text/html')
}

function errorResponse(request: VRequest, status: number, message: string, data?: unknown): VResponse {
  if (!wantsJson(request)) return errorPage(status, message)
  const body = JSON.stringify({ statusCode: status, statusMessage: reasonPhrase(status), message, ...(data === undefined ? {} : { data }) })
  return { status, headers: [['content-type', 'application/json; charset=utf-8'], ['cache-control', 'no-store']], body: new TextEncoder().encode(body) }
}

/**
 * What the visitor gets for a thrown value. `createError`'s status and
 * message, a runtime 4xx's message; any other failure is a plain 500 with no
 * detail (`forAuthor` true: the details go to the author's log only).
 */
export function visitorError(error: unknown, request: VRequest): { response: VResponse, forAuthor: boolean } {
  if (error instanceof HttpError) {
    const response = errorResponse(request, error.status, error.message || error.statusMessage || reasonPhrase(error.status), error.data)
    return { response, forAuthor: error.status >= 500 }
  }
  if (error instanceof VServerError && error.status < 500) {
    return { response: errorResponse(request, error.status, error.message || reasonPhrase(error.status)), forAuthor: false }
  }
  const status = error instanceof VServerError ? error.status : 500
  return { response: errorResponse(request, status, reasonPhrase(status)), forAuthor: true }
}
