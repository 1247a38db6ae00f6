import { describe, expect, it } from 'vitest'
import { authorColor, authorsOf, cursorStyles, presenceByFile, sameAuthors } from '../../../../lib/studio/authors'

const states = new Map<number, unknown>([
  [7, { user: { name: 'Zoe', color: '#1971c2' }, file: 'public/index.html' }],
  [3, { user: { name: 'Ada', color: '#d9480f' }, file: null }],
  [9, { user: { name: 'Bob', color: '#2b8a3e' }, file: 'public/index.html' }],
  [11, { user: { name: '', color: 'red' } }],
  [12, 'garbage'],
  [13, { user: { name: 'Eve', color: 'url(javascript:alert(1))' } }],
])

describe('authors from awareness', () => {
  it('lists this tab first, then by name, leaving out states of another shape', () => {
    expect(authorsOf(states, 9).map(a => `${a.name}${a.self ? '*' : ''}`)).toEqual(['Bob*', 'Ada', 'Zoe'])
  })

  it('says who else has which file open', () => {
    const byFile = presenceByFile(authorsOf(states, 9))
    expect(Object.keys(byFile)).toEqual(['public/index.html'])
    expect(byFile['public/index.html']?.map(a => a.name)).toEqual(['Zoe'])
  })

  it('colours remote cursors, with the name as a quoted CSS string', () => {
    const css = cursorStyles(authorsOf(new Map([[4, { user: { name: 'A "quoted" name', color: '#ae3ec9' } }], [5, { user: { name: 'Me', color: '#1971c2' } }]]), 5))
    expect(css).toContain('.yRemoteSelection-4 { background-color: #ae3ec940; }')
    expect(css).toContain('content: "A \\"quoted\\" name"')
    expect(css).not.toContain('yRemoteSelection-5')
  })

  it('gives every client a colour from the palette, the same each time', () => {
    expect(authorColor(12345)).toBe(authorColor(12345))
    expect(authorColor(-3)).toMatch(/^#[0-9a-f]{6}$/)
  })

  it('takes a moved cursor for no change, and a new name, colour, file or author for one', () => {
    const withCursor = (at: number) => new Map([...states, [7, { user: { name: 'Zoe', color: '#1971c2' }, file: 'public/index.html', selection: { anchor: at } }]])
    expect(sameAuthors(authorsOf(withCursor(1), 9), authorsOf(withCursor(2), 9))).toBe(true)
    const changed = (state: unknown) => authorsOf(new Map([...states, [7, state]]), 9)
    const before = authorsOf(states, 9)
    expect(sameAuthors(before, changed({ user: { name: 'Zoé', color: '#1971c2' }, file: 'public/index.html' }))).toBe(false)
    expect(sameAuthors(before, changed({ user: { name: 'Zoe', color: '#2b8a3e' }, file: 'public/index.html' }))).toBe(false)
    expect(sameAuthors(before, changed({ user: { name: 'Zoe', color: '#1971c2' }, file: 'public/about.html' }))).toBe(false)
    expect(sameAuthors(before, authorsOf(new Map([...states, [8, { user: { name: 'Cy', color: '#1971c2' } }]]), 9))).toBe(false)
    expect(sameAuthors(before, authorsOf(states, 7))).toBe(false)
  })
})
