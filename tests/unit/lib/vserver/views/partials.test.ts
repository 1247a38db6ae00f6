import { describe, expect, it } from 'vitest'
import { createViewRenderer } from '../../../../../lib/vserver/views'
import { TestFileStore } from './memory-file-store'

function site(files: Record<string, string>, options?: Parameters<typeof createViewRenderer>[1]) {
  const store = new TestFileStore(files)
  return { store, views: createViewRenderer(store, options) }
}

describe('partials', () => {
  it.each<[string, Record<string, string>]>([
    ['views/', { 'views/header.mustache': '<h1>{{title}}</h1>' }],
    ['views/partials/', { 'views/partials/header.mustache': '<h1>{{title}}</h1>' }],
  ])('finds {{> header}} in %s with the same data', async (_label, files) => {
    const { views } = site({ 'views/post.mustache': '{{> header}}<p>{{body}}</p>', ...files })
    expect(await views.render('post', { title: 'T<', body: 'B' })).toBe('<h1>T&lt;</h1><p>B</p>')
  })

  it('prefers views/<name> over views/partials/<name>', async () => {
    const { views } = site({ 'views/post.mustache': '{{>nav}}', 'views/nav.mustache': 'top', 'views/partials/nav.mustache': 'nested' })
    expect(await views.render('post', {})).toBe('top')
  })

  it('finds partials in nested folders and partials inside partials', async () => {
    const { views } = site({
      'views/post.mustache': '{{> blog/header}}',
      'views/blog/header.mustache': '[{{> blog/nav}}]',
      'views/partials/blog/nav.mustache': 'nav {{user}}',
    })
    expect(await views.render('post', { user: 'ada' })).toBe('[nav ada]')
  })

  it('indents a standalone partial like Mustache does', async () => {
    const { views } = site({ 'views/page.mustache': '<ul>\n  {{> item}}\n</ul>', 'views/item.mustache': '<li>a</li>\n<li>b</li>\n' })
    expect(await views.render('page', {})).toBe('<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>')
  })

  it('reports a missing partial as a 500 naming both places it looked', async () => {
    const { views } = site({ 'views/post.mustache': '{{#never}}{{> footer}}{{/never}}' })
    await expect(views.render('post', {})).rejects.toMatchObject({
      status: 500,
      message: 'partial "footer" (included by views/post.mustache) not found: there is no views/footer.mustache or views/partials/footer.mustache',
    })
  })

  it('reports a syntax error inside a partial naming the partial file', async () => {
    const { views } = site({ 'views/post.mustache': '{{> bad}}', 'views/partials/bad.mustache': '{{#x}}' })
    await expect(views.render('post', {})).rejects.toMatchObject({ status: 500, message: expect.stringMatching(/^views\/partials\/bad\.mustache at line 1, column 1: section "x" is never closed/) })
  })

  it('renders a recursive partial as deep as its data goes', async () => {
    const { views } = site({ 'views/tree.mustache': '{{> node}}', 'views/node.mustache': '{{name}}{{#children}}({{> node}}){{/children}}' })
    // Leaves need their own (empty) children: Mustache would otherwise find the parent's.
    const tree = { name: 'a', children: [{ name: 'b', children: [{ name: 'c', children: [] }] }, { name: 'd', children: [] }] }
    expect(await views.render('tree', tree)).toBe('a(b(c))(d)')
  })

  it('stops a partial that includes itself without end, and renders again afterwards', async () => {
    const { views } = site({ 'views/loop.mustache': '{{> again}}', 'views/again.mustache': 'x{{> again}}', 'views/ok.mustache': '{{> fine}}', 'views/fine.mustache': 'fine' })
    await expect(views.render('loop', {})).rejects.toMatchObject({ status: 500, message: expect.stringMatching(/partial "again" nests deeper than 20 levels while rendering/) })
    expect(await views.render('ok', {})).toBe('fine')
  })

  it('stops two partials that include each other', async () => {
    const { views } = site({ 'views/loop.mustache': '{{> a}}', 'views/a.mustache': '{{> b}}', 'views/b.mustache': '{{> a}}' }, { maxPartialDepth: 5 })
    await expect(views.render('loop', {})).rejects.toMatchObject({ status: 500, message: expect.stringMatching(/nests deeper than 5 levels/) })
  })

  it('refuses a chain of distinct partials deeper than the limit before rendering, naming the chain', async () => {
    const files: Record<string, string> = { 'views/deep.mustache': '{{> p1}}' }
    for (let i = 1; i <= 4; i++) files[`views/p${i}.mustache`] = `{{> p${i + 1}}}`
    files['views/p5.mustache'] = 'end'
    expect(await site(files, { maxPartialDepth: 5 }).views.render('deep', {})).toBe('end')
    await expect(site(files, { maxPartialDepth: 4 }).views.render('deep', {})).rejects.toMatchObject({
      status: 500,
      message: 'partials nest deeper than 4 levels: views/deep.mustache > p1 > p2 > p3 > p4 > p5',
    })
  })

  it('picks up an edited partial', async () => {
    const { store, views } = site({ 'views/post.mustache': '{{> header}}', 'views/header.mustache': 'old' })
    expect(await views.render('post', {})).toBe('old')
    await store.write('views/header.mustache', 'new {{> sub}}')
    await store.write('views/partials/sub.mustache', 'sub')
    expect(await views.render('post', {})).toBe('new sub')
  })
})

describe('layout', () => {
  const files = {
    'views/layout.mustache': '<title>{{title}}</title><main>{{{body}}}</main>',
    'views/admin.mustache': '<admin>{{{body}}}</admin>',
    'views/post.mustache': '<p>{{title}}</p>',
  }

  it('wraps the view in views/layout.mustache when it exists, with the same data', async () => {
    expect(await site(files).views.render('post', { title: 'Hi & bye' })).toBe('<title>Hi &amp; bye</title><main><p>Hi &amp; bye</p></main>')
  })

  it('renders without a layout when there is none', async () => {
    expect(await site({ 'views/post.mustache': '<p>{{title}}</p>' }).views.render('post', { title: 'x' })).toBe('<p>x</p>')
  })

  it.each<[string, object, object | undefined, string]>([
    ['data.layout false', { layout: false }, undefined, '<p>t</p>'],
    ['options.layout false', {}, { layout: false }, '<p>t</p>'],
    ['options.layout by name', {}, { layout: 'admin' }, '<admin><p>t</p></admin>'],
    ['data.layout by name', { layout: 'admin' }, undefined, '<admin><p>t</p></admin>'],
    ['data.layout over options.layout', { layout: 'layout' }, { layout: false }, '<title>t</title><main><p>t</p></main>'],
  ])('follows %s', async (_label, data, options, expected) => {
    expect(await site(files, options).views.render('post', { title: 't', ...data })).toBe(expected)
  })

  it('does not wrap the layout in itself, and lets the layout use partials', async () => {
    const { views } = site({ 'views/layout.mustache': '{{> nav}}|{{{body}}}', 'views/partials/nav.mustache': 'NAV', 'views/post.mustache': 'post' })
    expect(await views.render('post', {})).toBe('NAV|post')
    expect(await views.render('layout', { body: 'b' })).toBe('NAV|b')
  })

  it('reports a named layout that does not exist, and a bad data.layout', async () => {
    const { views } = site(files)
    await expect(views.render('post', { layout: 'missing' })).rejects.toMatchObject({ status: 500, message: 'layout "missing" not found: there is no file views/missing.mustache' })
    await expect(views.render('post', { layout: 3 })).rejects.toMatchObject({ status: 500, message: 'data.layout must be a view name or false, got number' })
  })
})
