import { describe, expect, it } from 'vitest'
import { createError, HttpError, isError, visitorError } from '../../../../../lib/vserver/event'
import { VServerError, type VRequest, type VResponse } from '../../../../../lib/vserver/types'

const page: VRequest = { method: 'GET', url: '/', headers: [['accept', 'text/html,application/xhtml+xml']], body: null }
const api: VRequest = { method: 'GET', url: '/', headers: [['accept', 'application/json']], body: null }
const text = (response: VResponse) => response.body instanceof Uint8Array ? new TextDecoder().decode(response.body) : ''

describe('createError', () => {
  it.each([
    [{ statusCode: 404, message: 'No such post' }, 404, 'No such post'],
    [{ status: 403, statusMessage: 'Forbidden' }, 403, 'Forbidden'],
    [{ statusCode: 200, message: 'not an error status' }, 500, 'not an error status'],
    ['Something broke', 500, 'Something broke'],
  ])('%j → %i %s', (input, status, message) => {
    const error = createError(input)
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toBeInstanceOf(VServerError)
    expect(error).toMatchObject({ status, statusCode: status, message })
    expect(isError(error)).toBe(true)
  })

  it('tells its errors from others', () => {
    expect(isError(new Error('x'))).toBe(false)
  })
})

describe('visitorError', () => {
  it('shows createError\'s status and message, as HTML or as JSON', () => {
    const error = createError({ statusCode: 404, message: 'No <such> post', data: { id: 3 } })
    const html = visitorError(error, page)
    expect(html.forAuthor).toBe(false)
    expect(html.response.status).toBe(404)
    expect(text(html.response)).toContain('No &#60;such&#62; post')
    const json = visitorError(error, api)
    expect(JSON.parse(text(json.response))).toEqual({ statusCode: 404, statusMessage: 'Not Found', message: 'No <such> post', data: { id: 3 } })
  })

  it('shows a runtime 4xx message (a malformed body)', () => {
    const result = visitorError(new VServerError(400, 'Invalid JSON body: Unexpected end'), page)
    expect(result.response.status).toBe(400)
    expect(text(result.response)).toContain('Invalid JSON body')
  })

  it.each([
    ['an Error', new Error('secret detail at /home/author')],
    ['a runtime 5xx', new VServerError(500, 'views/post.mustache is missing')],
    ['a string', 'oops'],
  ])('gives a plain 500 for %s, details for the author only', (_name, thrown) => {
    const result = visitorError(thrown, page)
    expect(result.forAuthor).toBe(true)
    expect(result.response.status).toBe(500)
    expect(text(result.response)).toContain('Internal Server Error')
    expect(text(result.response)).not.toMatch(/secret|mustache|oops/)
  })
})
