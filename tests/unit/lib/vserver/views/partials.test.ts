import { describe, expect, it } from 'vitest'
import { site } from './counting-files'

describe('partials', () => {
  it.each<[string, Record<string, string>]>([
    ['views/', { 'views/header.mustache': '<h1>{{title}}</h1>' }],
    ['views/partials/', { 'views/partials/header.mustache': '<h1>{{title}}</h1>' }],
  ])('finds {{> header}} in %s with the same data', async (_label, files) => {
    const { views } = await site({ 'views/post.mustache': '{{> header}}<p>{{body}}</p>', ...files })
    expect(await views.render('post', { title: 'T<', body: 'B' })).toBe('<h1>T&lt;</h1><p>B</p>')
  })

  it('prefers views/<name> over views/partials/<name>', async () => {
    const { views } = await site({ 'views/post.mustache': '{{>nav}}', 'views/nav.mustache': 'top', 'views/partials/nav.mustache': 'nested' })
    expect(await views.render('post', {})).toBe('top')
  })

  it('finds partials in nested folders and partials inside partials', async () => {
    const { views } = await site({
      'views/post.mustache': '{{> blog/header}}',
      'views/blog/header.mustache': '[{{> blog/nav}}]',
      'views/partials/blog/nav.mustache': 'nav {{user}}',
    })
    expect(await views.render('post', { user: 'ada' })).toBe('[nav ada]')
  })

  it('indents a standalone partial like Mustache does', async () => {
    const { views } = await site({ 'views/page.mustache': '<ul>\n  {{> item}}\n</ul>', 'views/item.mustache': '<li>a</li>\n<li>b</li>\n' })
    expect(await views.render('page', {})).toBe('<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>')
  })

  it('reports a missing partial as a 500 naming both places it looked', async () => {
    const { views } = await site({ 'views/post.mustache': '{{#never}}{{> footer}}{{/never}}' })
    await expect(views.render('post', {})).rejects.toMatchObject({
      status: 500,
      message: 'partial "footer" (included by views/post.mustache) not found: there is no views/footer.mustache or views/partials/footer.mustache',
    })
  })

  it('reports a syntax error inside a partial naming the partial file', async () => {
    const { views } = await site({ 'views/post.mustache': '{{> bad}}', 'views/partials/bad.mustache': '{{#x}}' })
    await expect(views.render('post', {})).rejects.toMatchObject({ status: 500, message: expect.stringMatching(/^views\/partials\/bad\.mustache at line 1, column 1: section "x" is never closed/) })
  })

  it('renders a recursive partial as deep as its data goes', async () => {
    const { views } = await site({ 'views/tree.mustache': '{{> node}}', 'views/node.mustache': '{{name}}{{#children}}({{> node}}){{/children}}' })
    // Leaves need their own (empty) children: Mustache would otherwise find the parent's.
    const tree = { name: 'a', children: [{ name: 'b', children: [{ name: 'c', children: [] }] }, { name: 'd', children: [] }] }
    expect(await views.render('tree', tree)).toBe('a(b(c))(d)')
  })

  it('stops a partial that includes itself without end, and renders again afterwards', async () => {
    const { views } = await site({ 'views/loop.mustache': '{{> again}}', 'views/again.mustache': 'x{{> again}}', 'views/ok.mustache': '{{> fine}}', 'views/fine.mustache': 'fine' })
    await expect(views.render('loop', {})).rejects.toMatchObject({ status: 500, message: expect.stringMatching(/partial "again" nests deeper than 20 levels while rendering/) })
    expect(await views.render('ok', {})).toBe('fine')
  })

  it('stops two partials that include each other', async () => {
    const { views } = await site({ 'views/loop.mustache': '{{> a}}', 'views/a.mustache': '{{> b}}', 'views/b.mustache': '{{> a}}' }, { maxPartialDepth: 5 })
    await expect(views.render('loop', {})).rejects.toMatchObject({ status: 500, message: expect.stringMatching(/nests deeper than 5 levels/) })
  })

  it('refuses a chain of distinct partials deeper than the limit before rendering, naming the chain', async () => {
    const files: Record<string, string> = { 'views/deep.mustache': '{{> p1}}' }
    for (let i = 1; i <= 4; i++) files[`views/p${i}.mustache`] = `{{> p${i + 1}}}`
    files['views/p5.mustache'] = 'end'
    expect(await (await site(files, { maxPartialDepth: 5 })).views.render('deep', {})).toBe('end')
    await expect((await site(files, { maxPartialDepth: 4 })).views.render('deep', {})).rejects.toMatchObject({
      status: 500,
      message: 'partials nest deeper than 4 levels: views/deep.mustache > p1 > p2 > p3 > p4 > p5',
    })
  })

  it('picks up an edited partial', async () => {
    const { store, views } = await site({ 'views/post.mustache': '{{> header}}', 'views/header.mustache': 'old' })
    expect(await views.render('post', {})).toBe('old')
    await store.write('views/header.mustache', 'new {{> sub}}')
    await store.write('views/partials/sub.mustache', 'sub')
    expect(await views.render('post', {})).toBe('new sub')
  })
})
