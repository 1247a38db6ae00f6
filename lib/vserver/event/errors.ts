import { VServerError } from '../types'

/** What `createError` takes, as in h3. `status` is accepted for `statusCode`. */
export interface ErrorInput {
  statusCode?: number
  status?: number
  statusMessage?: string
  message?: string
  /** Sent along in JSON error responses. */
  data?: unknown
}

/** An HTTP error a handler throws on purpose: the visitor gets its status and message. */
export class HttpError extends VServerError {
  readonly statusMessage: string | undefined
  readonly data: unknown

  constructor(status: number, message: string, statusMessage?: string, data?: unknown) {
    super(status, message)
    this.name = 'HttpError'
    this.statusMessage = statusMessage
    this.data = data
  }

  /** h3's name for `status`. */
  get statusCode(): number {
    return this.status
  }
}

function validStatus(code: unknown): number {
  return typeof code === 'number' && Number.isInteger(code) && code >= 400 && code <= 599 ? code : 500
}

/** An error to throw from a handler: `throw createError({ statusCode: 404, message: 'No such post' })`. */
export function createError(input: string | ErrorInput): HttpError {
  if (typeof input === 'string') return new HttpError(500, input)
  const status = validStatus(input.statusCode ?? input.status)
  const message = input.message ?? input.statusMessage ?? ''
  return new HttpError(status, message, input.statusMessage, input.data)
}

/** True for errors made by `createError`. */
export function isError(value: unknown): value is HttpError {
  return value instanceof HttpError
}
