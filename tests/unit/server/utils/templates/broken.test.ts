import { createStorage } from 'unstorage'
import { describe, expect, it } from 'vitest'
import { loadTemplateCatalog } from '../../../../../server/utils/templates/load'

const SVG = '<svg xmlns="http://www.w3.org/2000/svg"/>'
const META = { title: 'Good', description: 'A fine one.', tags: ['static'], preview: 'preview.svg' }

/** A memory store of template folders: { id: { path: content } }. */
async function storeOf(folders: Record<string, Record<string, string | Uint8Array>>) {
  const storage = createStorage()
  for (const [id, files] of Object.entries(folders)) {
    for (const [path, content] of Object.entries(files)) await storage.setItemRaw(`${id}/${path}`, content)
  }
  return storage
}

function site(meta: unknown, extra: Record<string, string> = {}): Record<string, string> {
  return { 'template.json': typeof meta === 'string' ? meta : JSON.stringify(meta), 'preview.svg': SVG, 'public/index.html': '<h1>hi</h1>', ...extra }
}

async function load(folders: Record<string, Record<string, string | Uint8Array>>) {
  const warnings: string[] = []
  const catalog = await loadTemplateCatalog(await storeOf({ good: site(META), ...folders }), { warn: message => warnings.push(message) })
  return { catalog, warnings }
}

describe('loadTemplateCatalog: invalid templates', () => {
  it.each([
    ['a missing title', site({ ...META, title: undefined }), /template\.json: title: .*/],
    ['tags that are not a list', site({ ...META, tags: 'static' }), /template\.json: tags: /],
    ['a tag that is not a word', site({ ...META, tags: ['Big Tag!'] }), /template\.json: tags\.0: a tag is a short lower-case word/],
    ['an unknown field', site({ ...META, colour: 'red' }), /template\.json: .*colour/],
    ['a template.json that is not JSON', site('{ title: '), /template\.json is not JSON/],
    ['no template.json', { 'preview.svg': SVG, 'public/index.html': 'x' }, /there is no template\.json/],
    ['a missing preview picture', { ...site(META), 'preview.svg': undefined as unknown as string }, /preview: there is no file preview\.svg/],
    ['no home page', { 'template.json': JSON.stringify(META), 'preview.svg': SVG, 'public/about.html': 'x' }, /there is no home page/],
    ['a file outside the site folders', site(META, { 'notes.txt': 'x' }), /notes\.txt: site files go under public\//],
    ['a route that does not parse', site(META, { 'routes/api.get.js': 'export default defineHandler(() => {' }), /routes\/api\.get\.js:1:\d+: /],
    ['a route without a handler', site(META, { 'routes/x.js': 'const a = 1' }), /routes\/x\.js has no default export/],
  ])('%s: left out with a message naming the template, the others still listed', async (_, files, pattern) => {
    const clean = Object.fromEntries(Object.entries(files).filter(([, content]) => content !== undefined))
    const { catalog, warnings } = await load({ bad: clean })
    expect(catalog.list().map(t => t.id)).toEqual(['good'])
    expect(catalog.get('bad')).toBeUndefined()
    expect(catalog.problems.every(problem => problem.id === 'bad')).toBe(true)
    expect(catalog.problems.map(problem => problem.message).join('\n')).toMatch(pattern)
    expect(warnings[0]).toMatch(/^template "bad" is left out of the gallery: /)
  })

  it('a folder name that is not an id is refused', async () => {
    const { catalog } = await load({ Bad_Name: site(META) })
    expect(catalog.list().map(t => t.id)).toEqual(['good'])
    expect(catalog.problems[0]).toMatchObject({ id: 'Bad_Name', message: expect.stringContaining('is not a template id') })
  })

  it('hidden files are ignored, binary files kept as base64', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4E, 0x47, 0, 1, 2])
    const { catalog } = await load({ pics: { ...site(META), '.DS_Store': 'junk', 'public/a.png': png } })
    expect(catalog.problems).toEqual([])
    expect(catalog.get('pics')?.files).toEqual([
      { path: 'public/a.png', encoding: 'base64', content: Buffer.from(png).toString('base64') },
      { path: 'public/index.html', encoding: 'utf8', content: '<h1>hi</h1>' },
    ])
  })
})
