import { describe, expect, it } from 'vitest'
import { site } from './counting-files'

describe('render', () => {
  it('escapes {{x}} and leaves {{{x}}} and {{& x}} as they are', async () => {
    const { views } = await site({ 'views/post.mustache': '{{x}}|{{{x}}}|{{& x}}' })
    expect(await views.render('post', { x: '<b>"Tom" & \'Jerry\'</b>' }))
      .toBe('&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;&#x2F;b&gt;|<b>"Tom" & \'Jerry\'</b>|<b>"Tom" & \'Jerry\'</b>')
  })

  it.each(['post', 'post.mustache', '/post'])('finds views/post.mustache by the name %j', async (name) => {
    const { views } = await site({ 'views/post.mustache': 'post {{n}}' })
    expect(await views.render(name, { n: 1 })).toBe('post 1')
  })

  it('finds a view in a nested folder', async () => {
    const { views } = await site({ 'views/blog/post.mustache': 'blog post' })
    expect(await views.render('blog/post', {})).toBe('blog post')
  })

  it('renders sections, lists and inverted sections', async () => {
    const { views } = await site({ 'views/list.mustache': '{{#posts}}[{{title}}]{{/posts}}{{^posts}}none{{/posts}}' })
    expect(await views.render('list', { posts: [{ title: 'a' }, { title: 'b' }] })).toBe('[a][b]')
    expect(await views.render('list', { posts: [] })).toBe('none')
  })

  it('reports a missing view as a 500 naming the file', async () => {
    const { views } = await site({})
    await expect(views.render('nope', {})).rejects.toMatchObject({ status: 500, message: 'view "nope" not found: there is no file views/nope.mustache' })
  })

  it.each(['../secret', 'a/../../b', '', 'has space', 'a//b'])('refuses the view name %j with a 500', async (name) => {
    const { views } = await site({})
    await expect(views.render(name, {})).rejects.toMatchObject({ status: 500, message: expect.stringMatching(/view name .* is not valid/) })
  })

  it.each<[string, string, RegExp]>([
    ['an unclosed section', 'a\n  {{#items}}x\n\nend', /^views\/bad\.mustache at line 2, column 3: section "items" is never closed \(add \{\{\/items\}\}\)$/],
    ['an unopened section', 'a\n{{/items}}', /^views\/bad\.mustache at line 2, column 1: Unopened section "items"$/],
    ['a section closed by the wrong name', '{{#a}}x{{/b}}', /^views\/bad\.mustache at line 1, column 8: this closing tag does not match section "a" opened at line 1, column 1$/],
    ['an unclosed tag', 'hi {{name', /^views\/bad\.mustache at line 1, column 10: Unclosed tag$/],
  ])('reports %s as a 500 naming the view', async (_label, source, message) => {
    const { views } = await site({ 'views/bad.mustache': source })
    await expect(views.render('bad', {})).rejects.toMatchObject({ status: 500, message: expect.stringMatching(message) })
  })

  it('re-reads a view when its file changes, and only then', async () => {
    const { store, views } = await site({ 'views/post.mustache': 'one {{x}}' })
    expect(await views.render('post', { x: 1 })).toBe('one 1')
    expect(await views.render('post', { x: 2 })).toBe('one 2')
    expect(store.reads).toBe(1)
    await store.write('views/post.mustache', 'two {{x}}')
    expect(await views.render('post', { x: 3 })).toBe('two 3')
    expect(store.reads).toBe(2)
    await store.delete('views/post.mustache')
    await expect(views.render('post', {})).rejects.toMatchObject({ status: 500 })
  })

  it('reports a syntax error introduced by an edit, and recovers when fixed', async () => {
    const { store, views } = await site({ 'views/post.mustache': 'ok' })
    expect(await views.render('post', {})).toBe('ok')
    await store.write('views/post.mustache', '{{#a}}')
    await expect(views.render('post', {})).rejects.toMatchObject({ message: expect.stringMatching(/section "a" is never closed/) })
    await store.write('views/post.mustache', 'fixed')
    expect(await views.render('post', {})).toBe('fixed')
  })
})
