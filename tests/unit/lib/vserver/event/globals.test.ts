import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { installGlobals, SITE_GLOBAL_NAMES, SITE_GLOBALS_DTS, SITE_HELPERS } from '../../../../../lib/vserver/event'

function typeErrors(source: string): string[] {
  const files = new Map([['/globals.d.ts', SITE_GLOBALS_DTS], ['/route.js', source]])
  const options: ts.CompilerOptions = { allowJs: true, checkJs: true, noEmit: true, strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [] }
  const host = ts.createCompilerHost(options)
  const { getSourceFile, fileExists, readFile } = host
  host.getSourceFile = (name, version, ...rest) => {
    const text = files.get(name)
    return text === undefined ? getSourceFile(name, version, ...rest) : ts.createSourceFile(name, text, version)
  }
  host.fileExists = name => files.has(name) || fileExists(name)
  host.readFile = name => files.get(name) ?? readFile(name)
  const program = ts.createProgram([...files.keys()], options, host)
  return ts.getPreEmitDiagnostics(program).map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
}

describe('installGlobals', () => {
  it('puts every helper, render and db on the scope', async () => {
    const scope = { console: { ...console } }
    const views = { render: async (view: string, data?: object) => `${view}:${JSON.stringify(data)}` }
    installGlobals({ views }, scope)
    for (const name of SITE_GLOBAL_NAMES) expect(Reflect.get(scope, name), name).toBeDefined()
    expect(Reflect.get(scope, 'getQuery')).toBe(SITE_HELPERS.getQuery)
    const render: unknown = Reflect.get(scope, 'render')
    expect(typeof render === 'function' && await render('post', { a: 1 })).toBe('post:{"a":1}')
    expect(() => Reflect.get(Reflect.get(scope, 'db'), 'collection')).toThrow(/this site has no database/)
  })

  it('says so when a site without views calls render', async () => {
    const scope = { console: { ...console } }
    installGlobals({}, scope)
    const render: unknown = Reflect.get(scope, 'render')
    await expect(typeof render === 'function' ? render('post') : null).rejects.toThrow(/no view renderer/)
  })
})

describe('SITE_GLOBALS_DTS', () => {
  it.each(SITE_GLOBAL_NAMES)('declares %s', (name) => {
    expect(SITE_GLOBALS_DTS).toMatch(new RegExp(`declare (function|const) ${name}\\b`))
  })

  it('types a route file that uses the helpers', () => {
    const route = `
      export default defineHandler(async (event) => {
        const id = getRouterParam(event, 'id') ?? ''
        const body = await readBody(event)
        const session = await useSession(event)
        await session.update({ user: body.user })
        const post = await db.collection('posts').get(id)
        if (!post) throw createError({ statusCode: 404, message: 'No such post' })
        setCookie(event, 'seen', id, { httpOnly: true, sameSite: 'lax' })
        if (!(await verifyPassword('x', await hashPassword('x')))) return sendRedirect(event, '/login')
        return render('post', { post, q: getQuery(event).q, id: randomId(), sum: await sha256('x') })
      })`
    expect(typeErrors(route)).toEqual([])
  })

  it('catches a misused helper', () => {
    expect(typeErrors(`export default defineHandler((event) => getRouterParam(event))`)).toEqual([expect.stringMatching(/Expected 2 arguments/)])
  })
})
