import { describe, expect, it } from 'vitest'
import { filterLog, formatClock, requestPath, statusTone, toLogRow, type StudioLogLine } from '../../../../lib/studio/request-log'

const request = (method: string, url: string, status: number): StudioLogLine => ({ at: 0, visitor: 'v1', method, url, status, ms: 3 })
const lines: StudioLogLine[] = [
  request('GET', '/posts?page=2', 200),
  request('POST', '/api/login', 401),
  { at: 0, note: 'routes/api/boom.js:12:5: TypeError: x is undefined' },
  request('GET', 'https://site.example/img/logo.png', 304),
]

describe('filterLog', () => {
  it.each([
    ['', [0, 1, 2, 3]],
    ['  ', [0, 1, 2, 3]],
    ['post', [0, 1]],
    ['401', [1]],
    ['typeerror', [2]],
    ['boom.js:12', [2]],
    ['/img/', [3]],
    ['site.example', []],
    ['get', [0, 3]],
  ])('"%s" keeps lines %j', (query, kept) => {
    expect(filterLog(lines, query)).toEqual(kept.map(i => lines[i]))
  })

  it('returns the same array when there is nothing to filter', () => {
    expect(filterLog(lines, '')).toBe(lines)
  })
})

describe('statusTone', () => {
  it.each([
    [200, 'ok'], [204, 'ok'], [301, 'redirect'], [304, 'redirect'],
    [404, 'client-error'], [499, 'client-error'], [500, 'server-error'], [503, 'server-error'], [101, 'other'], [0, 'other'],
  ])('%i is %s', (status, tone) => {
    expect(statusTone(status)).toBe(tone)
  })
})

describe('requestPath', () => {
  it.each([
    ['/a/b?c=1', '/a/b?c=1'],
    ['https://x.example/a?b', '/a?b'],
    ['not a url', 'not a url'],
  ])('%s → %s', (url, path) => {
    expect(requestPath(url)).toBe(path)
  })
})

describe('formatClock', () => {
  it('pads hours, minutes and seconds', () => {
    expect(formatClock(new Date(2025, 0, 1, 7, 5, 9).getTime())).toBe('07:05:09')
  })
})

describe('toLogRow', () => {
  const at = new Date(2025, 0, 1, 13, 4, 5).getTime()

  it('shows a request with a short visitor id and its path', () => {
    expect(toLogRow({ at, visitor: 'abcdef123456', method: 'GET', url: 'https://s.example/a?b=1', status: 503, ms: 12 }, 7)).toEqual({
      index: 7, time: '13:04:05', kind: 'request', visitor: 'abcdef', method: 'GET', path: '/a?b=1', status: 503, tone: 'server-error', ms: 12,
    })
  })

  it('flattens a multi-line note to one line and keeps the full text', () => {
    const note = 'Error: boom\n    at routes/index.js:3:9\n'
    expect(toLogRow({ at, note }, 0)).toEqual({ index: 0, time: '13:04:05', kind: 'note', text: note, oneLine: 'Error: boom ⏎ at routes/index.js:3:9' })
  })
})
