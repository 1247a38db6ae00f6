import { describe, expect, it } from 'vitest'
import { readBody, readMultipartFormData, readRawBody } from '../../../../../lib/vserver/event'
import { bytes, makeEvent } from './fixtures'

const post = (type: string | null, body: string | Uint8Array | null) =>
  makeEvent({ method: 'POST', headers: type === null ? [] : [['content-type', type]], body })

describe('readBody', () => {
  it('parses JSON (and +json types)', async () => {
    expect(await readBody(post('application/json', '{"a":[1,2],"b":null}'))).toEqual({ a: [1, 2], b: null })
    expect(await readBody(post('application/vnd.api+json; charset=utf-8', '"x"'))).toBe('x')
  })

  it('parses urlencoded forms, arrays for repeated names', async () => {
    const body = await readBody(post('application/x-www-form-urlencoded', 'name=Ada+L&tag=a&tag=b&e=%C3%A9&empty='))
    expect(body).toEqual({ name: 'Ada L', tag: ['a', 'b'], e: 'é', empty: '' })
  })

  it('parses multipart forms with files', async () => {
    const jpeg = new Uint8Array([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x0D, 0x0A, 0x2D, 0x2D])
    const B = 'xYzZY'
    const event = post(`multipart/form-data; boundary="${B}"`, bytes(
      `--${B}\r\nContent-Disposition: form-data; name="title"\r\n\r\nMy post\r\n`,
      `--${B}\r\nContent-Disposition: form-data; name="tags"\r\n\r\na\r\n`,
      `--${B}\r\nContent-Disposition: form-data; name="tags"\r\n\r\nb\r\n`,
      `--${B}\r\nContent-Disposition: form-data; name="photo"; filename="me.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`, jpeg, '\r\n',
      `--${B}\r\nContent-Disposition: form-data; name="raw"; filename="x"\r\n\r\n?\r\n`,
      `--${B}--\r\n`,
    ))
    expect(await readBody(event)).toEqual({
      title: 'My post',
      tags: ['a', 'b'],
      photo: { filename: 'me.jpg', type: 'image/jpeg', data: jpeg },
      raw: { filename: 'x', type: 'application/octet-stream', data: bytes('?') },
    })
    const parts = await readMultipartFormData(event)
    expect(parts?.map(part => part.name)).toEqual(['title', 'tags', 'tags', 'photo', 'raw'])
  })

  it('reads text/plain as a string, honouring the charset', async () => {
    expect(await readBody(post('text/plain;charset=UTF-8', 'héllo'))).toBe('héllo')
    expect(await readBody(post('text/plain; charset=iso-8859-1', new Uint8Array([0x63, 0x61, 0x66, 0xE9])))).toBe('café')
  })

  it('gives the bytes for other types, and undefined for no body', async () => {
    expect(await readBody(post('application/octet-stream', new Uint8Array([1, 2])))).toEqual(new Uint8Array([1, 2]))
    expect(await readBody(post(null, 'x'))).toEqual(bytes('x'))
    expect(await readBody(post('application/json', null))).toBeUndefined()
    expect(await readBody(post('application/json', ''))).toBeUndefined()
  })

  it('reads once, however often it is called', async () => {
    const event = post('application/json', '{"a":1}')
    const first = await readBody(event)
    expect(await readBody(event)).toBe(first)
  })

  it.each([
    ['application/json', '{"a":', 400, /^Invalid JSON body: /],
    ['application/json', 'undefined', 400, /^Invalid JSON body: /],
    ['multipart/form-data', 'x', 400, /Content-Type has no boundary/],
    ['multipart/form-data; boundary=abc', '--abc\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end', 400, /closing boundary is missing/],
    ['text/plain; charset=klingon', 'x', 415, /Unsupported charset "klingon"/],
  ])('refuses %s %j', async (type, body, status, message) => {
    await expect(readBody(post(type, body))).rejects.toMatchObject({ status, message: expect.stringMatching(message) })
  })
})

describe('readRawBody', () => {
  it('gives text or bytes', async () => {
    const event = post('application/json', '{"a":1}')
    expect(await readRawBody(event)).toBe('{"a":1}')
    expect(await readRawBody(event, false)).toEqual(bytes('{"a":1}'))
    expect(await readRawBody(post(null, null))).toBeUndefined()
  })
})
