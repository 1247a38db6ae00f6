import { describe, expect, it } from 'vitest'
import { appendHeader, getResponseHeader, sendRedirect, setCookie, setHeader, setResponseStatus, toResponse } from '../../../../../lib/vserver/event'
import type { VResponse } from '../../../../../lib/vserver/types'
import { makeEvent } from './fixtures'

const text = (response: VResponse) => response.body instanceof Uint8Array ? new TextDecoder().decode(response.body) : response.body
const header = (response: VResponse, name: string) => response.headers.filter(([key]) => key === name).map(([, value]) => value)

describe('toResponse', () => {
  it.each([
    ['a string', '<h1>Hi</h1>', 200, 'text/html; charset=utf-8', '<h1>Hi</h1>'],
    ['an object', { a: 1 }, 200, 'application/json; charset=utf-8', '{"a":1}'],
    ['an array', [1, 'x'], 200, 'application/json; charset=utf-8', '[1,"x"]'],
    ['a number', 42, 200, 'application/json; charset=utf-8', '42'],
    ['false', false, 200, 'application/json; charset=utf-8', 'false'],
    ['a bigint inside', { n: 10n }, 200, 'application/json; charset=utf-8', '{"n":"10"}'],
    ['null', null, 204, undefined, null],
    ['undefined', undefined, 204, undefined, null],
  ])('%s', (_name, value, status, type, body) => {
    const response = toResponse(makeEvent(), value)
    expect(response.status).toBe(status)
    expect(header(response, 'content-type')[0]).toBe(type)
    expect(text(response)).toEqual(body)
  })

  it('sends bytes as octet-stream', () => {
    const data = new Uint8Array([0, 255, 1])
    const response = toResponse(makeEvent(), data)
    expect(header(response, 'content-type')).toEqual(['application/octet-stream'])
    expect(response.body).toBe(data)
  })

  it('keeps a Content-Type and status set by the handler', () => {
    const event = makeEvent()
    setHeader(event, 'Content-Type', 'text/plain')
    setResponseStatus(event, 201, 'Created')
    const response = toResponse(event, 'hi')
    expect(response).toMatchObject({ status: 201, statusText: 'Created' })
    expect(header(response, 'content-type')).toEqual(['text/plain'])
  })

  it('answers undefined with an empty body and the status the handler set', () => {
    const event = makeEvent()
    setResponseStatus(event, 202)
    expect(toResponse(event, undefined)).toMatchObject({ status: 202, body: null })
  })

  it('passes a Response through, adding cookies and headers set through the helpers', async () => {
    const event = makeEvent()
    setCookie(event, 'a', '1')
    setHeader(event, 'x-from-helper', 'yes')
    setHeader(event, 'content-type', 'text/html')
    const response = toResponse(event, new Response('{"ok":true}', { status: 201, headers: { 'Content-Type': 'application/json', 'set-cookie': 'b=2' } }))
    expect(response.status).toBe(201)
    expect(header(response, 'content-type')).toEqual(['application/json'])
    expect(header(response, 'x-from-helper')).toEqual(['yes'])
    expect(header(response, 'set-cookie')).toEqual(['a=1; Path=/', 'b=2'])
    expect(response.body).toBeInstanceOf(ReadableStream)
    if (response.body instanceof ReadableStream) expect(await new Response(response.body).text()).toBe('{"ok":true}')
  })

  it('passes a VResponse through', () => {
    const value: VResponse = { status: 418, headers: [['x-tea', 'pot']], body: new Uint8Array([1]) }
    expect(toResponse(makeEvent(), value)).toEqual(value)
  })

  it('refuses a function and a cycle', () => {
    expect(() => toResponse(makeEvent(), () => 1)).toThrow(/returned a function/)
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    expect(() => toResponse(makeEvent(), cycle)).toThrow(TypeError)
  })
})

describe('response helpers', () => {
  it('sendRedirect sets status and Location and returns a page', () => {
    const event = makeEvent()
    const body = sendRedirect(event, '/login?next=/a&b="c"')
    const response = toResponse(event, body)
    expect(response.status).toBe(302)
    expect(header(response, 'location')).toEqual(['/login?next=/a&b="c"'])
    expect(text(response)).toContain('url=/login?next=/a&#38;b=&#34;c&#34;')
  })

  it('sendRedirect keeps its status when the handler returns nothing, and takes another code', () => {
    const event = makeEvent()
    sendRedirect(event, '/x', 303)
    expect(toResponse(event, undefined)).toMatchObject({ status: 303, body: null })
    expect(() => sendRedirect(makeEvent(), '/x', 200)).toThrow(RangeError)
  })

  it('setHeader replaces, appendHeader adds', () => {
    const event = makeEvent()
    setHeader(event, 'X-A', '1')
    setHeader(event, 'x-a', '2')
    appendHeader(event, 'x-a', ['3', '4'])
    expect(getResponseHeader(event, 'X-A')).toBe('2, 3, 4')
  })

  it.each([
    ['bad name', 'x a', 'v'],
    ['line break', 'x-a', 'v\r\nset-cookie: evil=1'],
  ])('setHeader refuses a %s', (_name, name, value) => {
    expect(() => setHeader(makeEvent(), name, value)).toThrow(TypeError)
  })

  it('setResponseStatus refuses a non-status', () => {
    expect(() => setResponseStatus(makeEvent(), 99)).toThrow(RangeError)
  })
})
