import { describe, expect, it } from 'vitest'
import { parseMultipart } from '../../../../../lib/vserver/event'
import { indexOfBytes } from '../../../../../lib/vserver/event/body/multipart'
import { VServerError } from '../../../../../lib/vserver/types'
import { bytes } from './fixtures'

const B = '----WebKitFormBoundary7MA4YWxkTrZu0gW'
const field = (name: string, value: string) => `--${B}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`

describe('parseMultipart', () => {
  it('parses fields and a binary file with every byte value', () => {
    const png = Uint8Array.from({ length: 512 }, (_, i) => i % 256)
    const body = bytes(
      field('title', 'Hello, wörld'),
      `--${B}\r\nContent-Disposition: form-data; name="image"; filename="cat.png"\r\nContent-Type: image/png\r\n\r\n`,
      png,
      `\r\n--${B}--\r\n`,
    )
    const parts = parseMultipart(body, B)
    expect(parts).toHaveLength(2)
    expect(parts[0]).toEqual({ name: 'title', data: new TextEncoder().encode('Hello, wörld') })
    expect(parts[1]).toMatchObject({ name: 'image', filename: 'cat.png', type: 'image/png' })
    expect(parts[1]?.data).toEqual(png)
  })

  it('treats the boundary text inside data as data unless it follows CRLF', () => {
    const tricky = bytes(`--${B}`, '\r\n--', B.slice(0, -1), '\r\n', `x--${B}--`, '\n--', B, '\r')
    const body = bytes(`--${B}\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n`, tricky, `\r\n--${B}--`)
    expect(parseMultipart(body, B)[0]?.data).toEqual(tricky)
  })

  it('skips a preamble and an epilogue, and keeps empty values and empty file fields', () => {
    const body = bytes(
      'This is a preamble.\r\n',
      field('empty', ''),
      `--${B}\r\nContent-Disposition: form-data; name="upload"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n`,
      `--${B}--\r\nepilogue`,
    )
    const parts = parseMultipart(body, B)
    expect(parts.map(part => [part.name, part.filename, part.data.length])).toEqual([['empty', undefined, 0], ['upload', '', 0]])
  })

  it('reads quoted names with escapes, UTF-8 filenames and filename*', () => {
    const body = bytes(
      `--${B}\r\ncontent-disposition: form-data; name="a\\"b"; filename="café.txt"\r\n\r\nx\r\n`,
      `--${B}\r\nContent-Disposition: form-data; name=doc; filename="fallback.txt"; filename*=UTF-8''%E2%82%AC%20rates.txt\r\n\r\ny\r\n`,
      `--${B}--`,
    )
    const parts = parseMultipart(body, B)
    expect(parts.map(part => [part.name, part.filename])).toEqual([['a"b', 'café.txt'], ['doc', '€ rates.txt']])
  })

  it.each([
    ['no boundary parameter', field('a', '1'), ''],
    ['a boundary that never occurs', field('a', '1'), 'other'],
    ['no closing boundary', `--${B}\r\nContent-Disposition: form-data; name="a"\r\n\r\ndata without end`, B],
    ['headers that never end', `--${B}\r\nContent-Disposition: form-data; name="a"`, B],
    ['a part without a name', `--${B}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--${B}--`, B],
    ['a part without Content-Disposition', `--${B}\r\nContent-Type: text/plain\r\n\r\nx\r\n--${B}--`, B],
    ['garbage after a boundary', `--${B}garbage\r\n`, B],
  ])('refuses %s with a 400', (_name, body, boundary) => {
    let error: unknown
    try {
      parseMultipart(bytes(body), boundary)
    }
    catch (thrown) {
      error = thrown
    }
    expect(error).toBeInstanceOf(VServerError)
    expect(error).toMatchObject({ status: 400, message: expect.stringMatching(/^Malformed multipart\/form-data body: /) })
  })
})

describe('indexOfBytes', () => {
  it('finds a needle, or -1', () => {
    const hay = bytes('abcabcabd')
    expect(indexOfBytes(hay, bytes('abd'))).toBe(6)
    expect(indexOfBytes(hay, bytes('abc'), 1)).toBe(3)
    expect(indexOfBytes(hay, bytes('abe'))).toBe(-1)
    expect(indexOfBytes(hay, bytes('dd'))).toBe(-1)
  })
})
