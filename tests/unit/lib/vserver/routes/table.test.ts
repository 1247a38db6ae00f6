import { describe, expect, it } from 'vitest'
import { RouteTable } from '../../../../../lib/vserver/routes'
import { VServerError } from '../../../../../lib/vserver/types'

const files = [
  'routes/index.js',
  'routes/about.get.js',
  'routes/posts/index.get.js',
  'routes/posts/index.post.js',
  'routes/posts/new.js',
  'routes/posts/[id].get.js',
  'routes/posts/[id].js',
  'routes/posts/[id].delete.js',
  'routes/posts/[id]/edit.get.js',
  'routes/[section]/latest.js',
  'routes/docs/[...slug].js',
  'routes/docs/intro.get.js',
  'routes/api/login.post.js',
  'routes/api/items/[id].put.js',
  'routes/[...all].js',
]

describe('RouteTable precedence', () => {
  const table = new RouteTable(files)

  it.each([
    ['GET', '/', 'routes/index.js', {}],
    ['GET', '/about', 'routes/about.get.js', {}],
    ['HEAD', '/about', 'routes/about.get.js', {}],
    ['GET', '/posts', 'routes/posts/index.get.js', {}],
    ['GET', '/posts/', 'routes/posts/index.get.js', {}],
    ['POST', '/posts', 'routes/posts/index.post.js', {}],
    // static segment before [param]
    ['GET', '/posts/new', 'routes/posts/new.js', {}],
    ['POST', '/posts/new', 'routes/posts/new.js', {}],
    // method-specific before method-less, at the same path
    ['GET', '/posts/7', 'routes/posts/[id].get.js', { id: '7' }],
    ['HEAD', '/posts/7', 'routes/posts/[id].get.js', { id: '7' }],
    ['DELETE', '/posts/7', 'routes/posts/[id].delete.js', { id: '7' }],
    ['PATCH', '/posts/7', 'routes/posts/[id].js', { id: '7' }],
    ['GET', '/posts/7/edit', 'routes/posts/[id]/edit.get.js', { id: '7' }],
    ['GET', '/posts/caf%C3%A9', 'routes/posts/[id].get.js', { id: 'café' }],
    ['GET', '/news/latest', 'routes/[section]/latest.js', { section: 'news' }],
    // segments decide left to right: static `posts` beats `[section]` though `latest` is static too
    ['GET', '/posts/latest', 'routes/posts/[id].get.js', { id: 'latest' }],
    // [param] before [...catchall]
    ['GET', '/docs/intro', 'routes/docs/intro.get.js', {}],
    ['POST', '/docs/intro', 'routes/docs/[...slug].js', { slug: 'intro' }],
    ['GET', '/docs/a/b/c', 'routes/docs/[...slug].js', { slug: 'a/b/c' }],
    ['GET', '/docs', 'routes/docs/[...slug].js', { slug: '' }],
    ['GET', '/nothing/here/at/all', 'routes/[...all].js', { all: 'nothing/here/at/all' }],
    // a method mismatch at a more specific path falls through to a less specific route that serves it
    ['GET', '/api/login', 'routes/[...all].js', { all: 'api/login' }],
  ])('%s %s → %s', (method, path, file, params) => {
    const match = table.match(method, path)
    expect(match.kind).toBe('route')
    if (match.kind !== 'route') return
    expect(match.route.file).toBe(file)
    expect(match.params).toEqual(params)
  })
})

describe('RouteTable 405 and misses', () => {
  const table = new RouteTable([
    'routes/api/login.post.js',
    'routes/api/items/[id].put.js',
    'routes/api/items/[id].get.js',
    'routes/api/items/[id].delete.js',
  ])

  it.each([
    ['GET', '/api/login', ['POST']],
    ['DELETE', '/api/login', ['POST']],
    ['POST', '/api/items/3', ['DELETE', 'GET', 'HEAD', 'PUT']],
  ])('%s %s → 405, Allow %j', (method, path, allow) => {
    expect(table.match(method, path)).toEqual({ kind: 'method-not-allowed', allow })
  })

  it('misses when no pattern matches', () => {
    expect(table.match('GET', '/api')).toEqual({ kind: 'none' })
    expect(table.match('GET', '/api/items/3/x')).toEqual({ kind: 'none' })
  })

  it('refuses a malformed path with a 400', () => {
    expect(() => table.match('GET', '/api/items/%E0%A4%A')).toThrow(VServerError)
  })

  it('keeps the first of two files with the same pattern and method', () => {
    const dup = new RouteTable(['routes/a/index.js', 'routes/a.js'])
    const match = dup.match('GET', '/a')
    expect(match.kind === 'route' && match.route.file).toBe('routes/a.js')
    expect(dup.duplicates).toEqual(['routes/a/index.js'])
  })
})
