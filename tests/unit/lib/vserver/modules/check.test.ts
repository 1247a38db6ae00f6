import { describe, expect, it } from 'vitest'
import { checkRouteFile } from '../../../../../lib/vserver/modules'

describe('checkRouteFile', () => {
  it('accepts a route module with relative imports', () => {
    const source = [
      `import { slugify } from '../lib/util.js'`,
      `export { helper } from './-helper.js'`,
      `export default defineHandler(async (event) => {`,
      `  const { extra } = await import('../lib/extra.js')`,
      `  return slugify(getRouterParam(event, 'id')) + extra`,
      `})`,
    ].join('\n')
    expect(checkRouteFile(source, 'routes/posts/[id].get.js')).toEqual({ ok: true })
  })

  it('reports a syntax error with file, line and 1-based column', () => {
    const source = `export default defineHandler((event) => {\n  const x = ;\n})\n`
    expect(checkRouteFile(source, 'routes/broken.js')).toEqual({
      ok: false, file: 'routes/broken.js', line: 2, column: 13, message: 'Unexpected token',
    })
  })

  it('reports early errors acorn knows', () => {
    const result = checkRouteFile(`let a = 1\nlet a = 2\nexport default a`, 'lib/a.js')
    expect(result).toMatchObject({ ok: false, line: 2, message: expect.stringMatching(/already been declared/) })
  })

  it.each([
    [`import _ from 'lodash'`, /bare import 'lodash'/],
    [`import x from '/lib/util.js'`, /absolute import/],
    [`import x from 'https://esm.sh/x'`, /URL import/],
    [`import fs from 'node:fs'`, /URL import/],
    [`const m = 'x'; await import(m)`, /import\(\) needs a string literal/],
  ])('refuses %s', (line, message) => {
    const result = checkRouteFile(`${line}\nexport default defineHandler(() => 'hi')`, 'routes/x.js')
    expect(result).toMatchObject({ ok: false, file: 'routes/x.js', line: 1, message: expect.stringMatching(message) })
  })

  it('asks route files, and only them, for a default export', () => {
    expect(checkRouteFile(`export const x = 1`, 'routes/x.js')).toMatchObject({ ok: false, message: expect.stringMatching(/no default export.*defineHandler/) })
    expect(checkRouteFile(`const h = () => 1\nexport { h as default }`, 'routes/x.js')).toEqual({ ok: true })
    expect(checkRouteFile(`export const x = 1`, 'lib/x.js')).toEqual({ ok: true })
  })
})
