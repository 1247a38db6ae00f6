import { describe, expect, it } from 'vitest'
import { checkRouteFile } from '../../../../../lib/vserver/modules/check'
import { createViewRenderer } from '../../../../../lib/vserver/views'
import { filesOf, loadRepoCatalog } from './helpers'

const REQUIRED = ['blog', 'chat', 'empty', 'guestbook', 'portfolio', 'quiz']
const warnings: string[] = []
const catalog = await loadRepoCatalog(warnings)
const ids = catalog.list().map(template => template.id)
const detail = (id: string) => {
  const template = catalog.get(id)
  if (!template) throw new Error(`no template ${id}`)
  return template
}

describe('the templates in the repo', () => {
  it('all validate, with no problem reported', () => {
    expect(catalog.problems).toEqual([])
    expect(warnings).toEqual([])
    expect(ids).toEqual(expect.arrayContaining(REQUIRED))
  })

  it('list id, title, description, tags and an image data: URL preview', () => {
    for (const summary of catalog.list()) {
      expect(Object.keys(summary).sort()).toEqual(['description', 'id', 'preview', 'tags', 'title'])
      expect(summary.preview).toMatch(/^data:image\/(svg\+xml|png|jpeg|webp);base64,[A-Za-z0-9+/]+=*$/)
    }
    const empty = catalog.list().find(summary => summary.id === 'empty')
    const svg = Buffer.from(empty?.preview.split(',')[1] ?? '', 'base64').toString('utf8')
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/)
  })

  it.each(ids)('%s: has a home page and only site files, no template.json or preview', (id) => {
    const paths = detail(id).files.map(file => file.path)
    expect(paths.some(path => /^(public\/index\.html|routes\/index(\.get)?\.js)$/.test(path))).toBe(true)
    for (const path of paths) expect(path).toMatch(/^(public|routes|views|lib)\//)
  })

  it.each(ids)('%s: route and lib modules parse', (id) => {
    for (const file of detail(id).files.filter(f => /\.js$/.test(f.path) && !f.path.startsWith('public/'))) {
      expect(checkRouteFile(file.content, file.path)).toEqual({ ok: true })
    }
  })

  it.each(ids)('%s: every view renders (partials and layout found)', async (id) => {
    const files = await filesOf(detail(id))
    const views = createViewRenderer(files)
    for (const entry of await files.list('views/')) {
      const name = entry.path.slice('views/'.length, -'.mustache'.length)
      await expect(views.render(name, { title: 'Test' })).resolves.toEqual(expect.any(String))
    }
  })

  it('keep text as UTF-8 and pictures as base64', () => {
    const files = detail('portfolio').files
    expect(files.find(f => f.path === 'public/index.html')?.encoding).toBe('utf8')
    expect(files.find(f => f.path === 'public/img/avatar.svg')?.encoding).toBe('utf8')
    const png = files.find(f => f.path === 'public/img/icon.png')
    expect(png?.encoding).toBe('base64')
    expect(Buffer.from(png?.content ?? '', 'base64').subarray(1, 4).toString()).toBe('PNG')
  })

  it('empty: says exactly "Hello, world." in an h1', () => {
    const index = detail('empty').files.find(f => f.path === 'public/index.html')
    expect(index?.content).toMatch(/<h1>Hello, world\.<\/h1>/)
  })

  it('use no external URLs: visitors may be offline', () => {
    for (const id of ids) {
      for (const file of detail(id).files.filter(f => f.encoding === 'utf8')) {
        const external = file.content.match(/(?:src|href|url\()\s*=?\s*["']?(?:https?:)?\/\/[^"')\s]+/g)
        expect(external, `${id}/${file.path}`).toBeNull()
      }
    }
  })
})
