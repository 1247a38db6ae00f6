import { describe, expect, it } from 'vitest'
import { matchSegments, parseRouteFile } from '../../../../../lib/vserver/routes'

describe('parseRouteFile', () => {
  it.each([
    ['routes/index.js', '/', null],
    ['routes/about.js', '/about', null],
    ['routes/posts/index.get.js', '/posts', 'GET'],
    ['routes/posts/[id].get.js', '/posts/:id', 'GET'],
    ['routes/posts/[id]/comments.post.js', '/posts/:id/comments', 'POST'],
    ['routes/api/login.post.js', '/api/login', 'POST'],
    ['routes/api/item.put.js', '/api/item', 'PUT'],
    ['routes/api/item.patch.js', '/api/item', 'PATCH'],
    ['routes/api/item.delete.js', '/api/item', 'DELETE'],
    ['routes/api/item.head.js', '/api/item', 'HEAD'],
    ['routes/api/item.options.mjs', '/api/item', 'OPTIONS'],
    ['routes/docs/[...slug].js', '/docs/**:slug', null],
    ['routes/[...].js', '/**:_', null],
    ['routes/feed.xml.js', '/feed.xml', null],
    ['routes/feed.xml.get.js', '/feed.xml', 'GET'],
    ['routes/post-[id].js', '/post-[id]', null],
    ['routes/index.post.js', '/', 'POST'],
  ])('%s → %s %s', (file, pattern, method) => {
    const route = parseRouteFile(file)
    expect(route?.pattern).toBe(pattern)
    expect(route?.method).toBe(method)
  })

  it.each([
    'public/index.html',
    'routes/readme.md',
    'routes/-helpers.js',
    'routes/-lib/util.js',
    'routes/.hidden.js',
    'routes/[...slug]/edit.js',
    'lib/util.js',
  ])('%s is not a route', (file) => {
    expect(parseRouteFile(file)).toBeNull()
  })
})

describe('matchSegments', () => {
  const segments = (file: string) => parseRouteFile(file)?.segments ?? []

  it('binds params and catch-alls (zero or more segments)', () => {
    expect(matchSegments(segments('routes/posts/[id].js'), ['posts', '42'])).toEqual({ id: '42' })
    expect(matchSegments(segments('routes/posts/[id].js'), ['posts'])).toBeNull()
    expect(matchSegments(segments('routes/posts/[id].js'), ['posts', '1', 'x'])).toBeNull()
    expect(matchSegments(segments('routes/docs/[...slug].js'), ['docs', 'a', 'b'])).toEqual({ slug: 'a/b' })
    expect(matchSegments(segments('routes/docs/[...slug].js'), ['docs'])).toEqual({ slug: '' })
    expect(matchSegments(segments('routes/index.js'), [])).toEqual({})
  })
})
