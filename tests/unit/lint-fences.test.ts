import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

// The fences of eslint.config.mjs: which imports lib/, shared/ and visitor/ may not use.
// One ESLint for every case: loading the config (TypeScript parser, Nuxt rules) is the slow part.
let eslint: ESLint
beforeAll(() => {
  eslint = new ESLint({ cwd: fileURLToPath(new URL('../..', import.meta.url)) })
}, 30_000)

/** The no-restricted-imports messages for one line of code at `filePath`. */
async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport { x }\n`, { filePath })
  return (result?.messages ?? []).filter(m => m.ruleId === 'no-restricted-imports').map(m => m.message)
}

describe('lint fences', () => {
  it.each([
    ['lib/', 'lib/__fence.ts', 'vue'],
    ['lib/', 'lib/__fence.ts', '#imports'],
    ['lib/', 'lib/__fence.ts', '#app'],
    ['lib/', 'lib/__fence.ts', 'h3'],
    ['lib/', 'lib/__fence.ts', 'nuxt/app'],
    ['lib/', 'lib/__fence.ts', 'pinia'],
    ['lib/', 'lib/tunnel/__fence.ts', 'node:fs'],
    ['lib/', 'lib/tunnel/__fence.ts', 'node:fs/promises'],
    ['lib/', 'lib/tunnel/__fence.ts', 'fs'],
    ['lib/', 'lib/tunnel/__fence.ts', 'path'],
    ['lib/', 'lib/tunnel/__fence.ts', 'crypto'],
    ['lib/', 'lib/tunnel/__fence.ts', 'child_process'],
    ['lib/', 'lib/tunnel/__fence.ts', 'worker_threads'],
    ['shared/', 'shared/protocol/__fence.ts', 'vue'],
    ['shared/', 'shared/__fence.ts', '#app'],
    ['shared/', 'shared/__fence.ts', 'h3'],
    ['visitor/', 'visitor/__fence.ts', 'pinia'],
    ['visitor/', 'visitor/lesson/__fence.ts', 'nuxt'],
    ['visitor/', 'visitor/__fence.ts', '#imports'],
  ])('%s (%s) may not import %s', async (_folder, filePath, module) => {
    const messages = await restrictedImports(filePath, `import x from '${module}'`)
    expect(messages).toEqual([expect.stringContaining(`'${module}' import is restricted`)])
  })

  it.each([
    ['lib/ imports a package', 'lib/__fence.ts', 'zod'],
    ['lib/ imports a package named like a builtin, under a path', 'lib/__fence.ts', 'some-package/path'],
    ['lib/ imports a package that starts like vue', 'lib/__fence.ts', 'vue-router'],
    ['lib/ imports a sibling', 'lib/tunnel/__fence.ts', './frames'],
    ['shared/ imports node:crypto (only lib/ is kept from Node)', 'shared/__fence.ts', 'node:crypto'],
    ['visitor/ imports yjs', 'visitor/__fence.ts', 'yjs'],
    ['components/ imports vue', 'components/__fence.ts', 'vue'],
    ['server/ imports Node', 'server/utils/__fence.ts', 'node:fs'],
  ])('%s: allowed (%s, %s)', async (_case, filePath, module) => {
    expect(await restrictedImports(filePath, `import x from '${module}'`)).toEqual([])
  })

  it.each([
    [40, []],
    [41, ['max-lines-per-function']],
  ])('a composable of %i lines: %j', async (lines, rules) => {
    const body = Array.from({ length: lines - 2 }, (_, i) => `  const v${i} = ${i}`).join('\n')
    const [result] = await eslint.lintText(`export function useLong() {\n${body}\n}\n`, { filePath: 'composables/useLong.ts' })
    expect((result?.messages ?? []).map(m => m.ruleId).filter(rule => rule === 'max-lines-per-function')).toEqual(rules)
  })
})
