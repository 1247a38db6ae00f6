import { describe, expect, it } from 'vitest'
import { readTemplateBytes, splitTemplateKey, toTemplateFile } from '../../../../../server/utils/templates/files'

describe('splitTemplateKey', () => {
  it.each([
    ['blog:routes:posts:[id].get.js', { id: 'blog', path: 'routes/posts/[id].get.js' }],
    ['empty:template.json', { id: 'empty', path: 'template.json' }],
    ['empty', null],
    ['blog:.git:config', null],
    ['.hidden:template.json', null],
  ])('%s', (key, expected) => {
    expect(splitTemplateKey(key)).toEqual(expected)
  })
})

describe('readTemplateBytes', () => {
  it.each([
    ['a string (Nitro assets, text types)', 'héllo'],
    ['a Buffer (fs driver)', Buffer.from('héllo')],
    ['a Uint8Array (Nitro assets, other types)', new TextEncoder().encode('héllo')],
  ])('reads %s', async (_, raw) => {
    const bytes = await readTemplateBytes({ getKeys: async () => [], getItemRaw: async () => raw }, 'k')
    expect(new TextDecoder().decode(bytes)).toBe('héllo')
  })

  it('names the key when there is nothing', async () => {
    await expect(readTemplateBytes({ getKeys: async () => [], getItemRaw: async () => null }, 'blog:x')).rejects.toThrow(/blog:x/)
  })
})

describe('toTemplateFile', () => {
  const bytes = (s: string) => new TextEncoder().encode(s)
  it.each([
    ['views/a.mustache', bytes('{{a}} ✓'), 'utf8'],
    ['public/a.svg', bytes('<svg/>'), 'utf8'],
    ['public/a.png', bytes('looks like text'), 'base64'],
    ['public/a.bin', new Uint8Array([0xFF, 0xFE, 0x00]), 'base64'],
    ['public/nul.txt', new Uint8Array([0x61, 0x00]), 'base64'],
  ])('%s → %s', (path, data, encoding) => {
    const file = toTemplateFile(path, data)
    expect(file.encoding).toBe(encoding)
    const back = file.encoding === 'base64' ? Buffer.from(file.content, 'base64') : Buffer.from(file.content)
    expect(new Uint8Array(back)).toEqual(data)
  })
})
