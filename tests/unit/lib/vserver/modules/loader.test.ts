import { describe, expect, it } from 'vitest'
import { MemoryFileStore } from '../../../../../lib/vserver/memory-files'
import { ModuleError, ModuleLoader, loadRouteHandler } from '../../../../../lib/vserver/modules'

async function site(files: Record<string, string>): Promise<MemoryFileStore> {
  const store = new MemoryFileStore()
  for (const [path, text] of Object.entries(files)) await store.write(path, text)
  return store
}

async function loadError(loader: ModuleLoader, file: string): Promise<ModuleError> {
  const error: unknown = await loader.load(file).then(() => null, (e: unknown) => e)
  if (!(error instanceof ModuleError)) throw new Error(`expected a ModuleError, got ${String(error)}`)
  return error
}

describe('ModuleLoader', () => {
  it('loads a route that imports lib files by relative path, transitively', async () => {
    const store = await site({
      'routes/posts/[id].get.js': `import { title } from '../../lib/format.js'\nexport default (id) => title(id)`,
      'lib/format.js': `import { upper } from './text'\nexport const title = (id) => 'Post ' + upper(id)`,
      'lib/text/index.js': `export const upper = (s) => s.toUpperCase()`,
    })
    const handler = await loadRouteHandler(new ModuleLoader(store), 'routes/posts/[id].get.js')
    expect(handler('abc')).toBe('Post ABC')
  })

  it('shares one instance of a module imported twice, and recompiles only what changed', async () => {
    const store = await site({
      'routes/a.js': `import { counter } from '../lib/state.js'\nimport { bump } from '../lib/bump.js'\nexport default () => { bump(); return counter.n }`,
      'lib/state.js': `export const counter = { n: 0 }`,
      'lib/bump.js': `import { counter } from './state.js'\nexport const bump = () => { counter.n++ }`,
    })
    const loader = new ModuleLoader(store)
    const first = await loadRouteHandler(loader, 'routes/a.js')
    expect(first(null)).toBe(1)
    expect((await loadRouteHandler(loader, 'routes/a.js'))(null)).toBe(2)
    await store.write('lib/bump.js', `import { counter } from './state.js'\nexport const bump = () => { counter.n += 10 }`)
    // state.js is unchanged, so its instance (n = 2) is kept
    expect((await loadRouteHandler(loader, 'routes/a.js'))(null)).toBe(12)
  })

  it('reports a syntax error in an imported file with its own file and line', async () => {
    const store = await site({
      'routes/a.js': `import { x } from '../lib/bad.js'\nexport default () => x`,
      'lib/bad.js': `export const x = 1\nexport const y = {\n`,
    })
    const error = await loadError(new ModuleLoader(store), 'routes/a.js')
    expect(error).toMatchObject({ kind: 'syntax', file: 'lib/bad.js', line: 3 })
  })

  it.each([
    [{ 'routes/a.js': `import _ from 'lodash'\nexport default () => 1` }, 'import', /bare import 'lodash'/],
    [{ 'routes/a.js': `import x from '/lib/x.js'\nexport default () => 1` }, 'import', /absolute import/],
    [{ 'routes/a.js': `import x from '../../x.js'\nexport default () => 1` }, 'import', /outside the site/],
    [{ 'routes/a.js': `import x from '../lib/none.js'\nexport default () => 1` }, 'not-found', /cannot find '..\/lib\/none.js' \(looked for lib\/none.js\)/],
    [{ 'routes/a.js': `import x from '../data.json'\nexport default () => 1`, 'data.json': '{}' }, 'not-found', /\.js and \.mjs files only/],
  ])('refuses a bad import (%#)', async (files, kind, message) => {
    const error = await loadError(new ModuleLoader(await site(files)), 'routes/a.js')
    expect(error).toMatchObject({ kind, file: 'routes/a.js', line: 1 })
    expect(error.message).toMatch(message)
  })

  it('refuses an import cycle, naming it', async () => {
    const store = await site({
      'routes/a.js': `import { b } from '../lib/b.js'\nexport default () => b`,
      'lib/b.js': `import { c } from './c.js'\nexport const b = 1`,
      'lib/c.js': `\nimport { b } from './b.js'\nexport const c = 2`,
    })
    const error = await loadError(new ModuleLoader(store), 'routes/a.js')
    expect(error).toMatchObject({ kind: 'cycle', file: 'lib/c.js', line: 2 })
    expect(error.message).toContain('import cycle: lib/b.js → lib/c.js → lib/b.js')
  })

  it('refuses a route without a default function export', async () => {
    const store = await site({ 'routes/a.js': `export const x = 1`, 'routes/b.js': `export default 42` })
    const loader = new ModuleLoader(store)
    await expect(loadRouteHandler(loader, 'routes/a.js')).rejects.toThrow(/no default export/)
    await expect(loadRouteHandler(loader, 'routes/b.js')).rejects.toThrow(/not a function/)
  })

  it('maps module URLs in stack traces back to site files, and finds the line', async () => {
    const store = await site({
      'routes/a.js': `import { fail } from '../lib/fail.js'\nexport default () => fail()`,
      'lib/fail.js': `export function fail() {\n  throw new Error('boom')\n}`,
    })
    const loader = new ModuleLoader(store)
    const handler = await loadRouteHandler(loader, 'routes/a.js')
    let stack = ''
    try {
      handler(null)
    }
    catch (error) {
      stack = loader.mapStack(error instanceof Error ? error.stack ?? '' : '')
    }
    expect(stack).not.toContain('data:')
    expect(stack).toContain('lib/fail.js:2:')
    expect(loader.locate(stack)).toMatchObject({ file: 'lib/fail.js', line: 2 })
  })

  it('tells a SyntaxError thrown by running code from a syntax error', async () => {
    const store = await site({ 'lib/config.js': `\nexport const config = JSON.parse('{')` })
    const loader = new ModuleLoader(store)
    const error: unknown = await loader.load('lib/config.js').then(() => null, (e: unknown) => e)
    expect(error).toBeInstanceOf(SyntaxError)
    expect(error).not.toBeInstanceOf(ModuleError)
    expect(loader.locate(loader.mapStack(error instanceof Error ? error.stack ?? '' : ''))).toMatchObject({ file: 'lib/config.js', line: 2 })
  })

  it('compiles a module imported along several paths once per load', async () => {
    const store = await site({
      'routes/a.js': `import { b } from '../lib/b.js'\nimport { c } from '../lib/c.js'\nexport default () => b + c`,
      'lib/b.js': `import { d } from './d.js'\nexport const b = d + 1`,
      'lib/c.js': `import { d } from './d.js'\nexport const c = d + 2`,
      'lib/d.js': `export const d = 10`,
    })
    const sources: string[] = []
    const loader = new ModuleLoader(store, { moduleUrl: (source) => {
      sources.push(source)
      return `data:text/javascript;base64,${Buffer.from(source).toString('base64')}`
    } })
    expect((await loadRouteHandler(loader, 'routes/a.js'))(null)).toBe(23)
    expect(sources).toHaveLength(4)
  })

  it('keeps two loaders of the same files apart', async () => {
    const files = { 'routes/a.js': `let n = 0\nexport default () => ++n` }
    const one = await loadRouteHandler(new ModuleLoader(await site(files)), 'routes/a.js')
    const two = await loadRouteHandler(new ModuleLoader(await site(files)), 'routes/a.js')
    expect([one(null), one(null), two(null)]).toEqual([1, 2, 1])
  })

  it('imports an unchanged module once, again after an edit, and again after a failed evaluation', async () => {
    const store = await site({
      'routes/a.js': `import { n } from '../lib/n.js'\nexport default () => n`,
      'lib/n.js': `export const n = 1`,
    })
    const imported: string[] = []
    const loader = new ModuleLoader(store, { importModule: (url) => {
      imported.push(url)
      return import(/* @vite-ignore */ url)
    } })
    for (let i = 0; i < 3; i++) expect((await loadRouteHandler(loader, 'routes/a.js'))(null)).toBe(1)
    expect(imported).toHaveLength(1)
    await store.write('lib/n.js', `export const n = 2`)
    expect((await loadRouteHandler(loader, 'routes/a.js'))(null)).toBe(2)
    expect(imported).toHaveLength(2)
    expect(new Set(imported).size).toBe(2)

    await store.write('lib/n.js', `export const n = JSON.parse('{')`)
    for (let i = 0; i < 2; i++) await expect(loader.load('routes/a.js')).rejects.toBeInstanceOf(SyntaxError)
    expect(imported).toHaveLength(4)
  })
})
