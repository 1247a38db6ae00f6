import { describe, expect, it } from 'vitest'
import { site } from './counting-files'

describe('layout', () => {
  const files = {
    'views/layout.mustache': '<title>{{title}}</title><main>{{{body}}}</main>',
    'views/admin.mustache': '<admin>{{{body}}}</admin>',
    'views/post.mustache': '<p>{{title}}</p>',
  }

  it('wraps the view in views/layout.mustache when it exists, with the same data', async () => {
    expect(await (await site(files)).views.render('post', { title: 'Hi & bye' })).toBe('<title>Hi &amp; bye</title><main><p>Hi &amp; bye</p></main>')
  })

  it('renders without a layout when there is none', async () => {
    expect(await (await site({ 'views/post.mustache': '<p>{{title}}</p>' })).views.render('post', { title: 'x' })).toBe('<p>x</p>')
  })

  it.each<[string, object, object | undefined, string]>([
    ['data.layout false', { layout: false }, undefined, '<p>t</p>'],
    ['options.layout false', {}, { layout: false }, '<p>t</p>'],
    ['options.layout by name', {}, { layout: 'admin' }, '<admin><p>t</p></admin>'],
    ['data.layout by name', { layout: 'admin' }, undefined, '<admin><p>t</p></admin>'],
    ['data.layout over options.layout', { layout: 'layout' }, { layout: false }, '<title>t</title><main><p>t</p></main>'],
  ])('follows %s', async (_label, data, options, expected) => {
    expect(await (await site(files, options)).views.render('post', { title: 't', ...data })).toBe(expected)
  })

  it('does not wrap the layout in itself, and lets the layout use partials', async () => {
    const { views } = await site({ 'views/layout.mustache': '{{> nav}}|{{{body}}}', 'views/partials/nav.mustache': 'NAV', 'views/post.mustache': 'post' })
    expect(await views.render('post', {})).toBe('NAV|post')
    expect(await views.render('layout', { body: 'b' })).toBe('NAV|b')
  })

  it('reports a named layout that does not exist, and a bad data.layout', async () => {
    const { views } = await site(files)
    await expect(views.render('post', { layout: 'missing' })).rejects.toMatchObject({ status: 500, message: 'layout "missing" not found: there is no file views/missing.mustache' })
    await expect(views.render('post', { layout: 3 })).rejects.toMatchObject({ status: 500, message: 'data.layout must be a view name or false, got number' })
  })
})
