import { describe, expect, it } from 'vitest'
import { sameListing, sameNames, withDirty } from '../../../../lib/studio/file-list'
import type { FileEntry } from '../../../../lib/vserver/files'

const entry = (path: string, size = 10, etag = `"${path}-${size}"`, mtime = 1): FileEntry => ({ path, size, etag, mtime })

describe('sameListing', () => {
  it('is true for the same files with the same metadata, in the same order', () => {
    expect(sameListing([entry('a'), entry('b')], [entry('a'), entry('b')])).toBe(true)
    expect(sameListing([], [])).toBe(true)
  })

  it('is false when a file came, went, moved or changed in size, ETag or time', () => {
    const list = [entry('a'), entry('b')]
    expect(sameListing(list, [entry('a')])).toBe(false)
    expect(sameListing(list, [...list, entry('c')])).toBe(false)
    expect(sameListing(list, [entry('b'), entry('a')])).toBe(false)
    expect(sameListing(list, [entry('a'), entry('b', 11)])).toBe(false)
    expect(sameListing(list, [entry('a'), entry('b', 10, '"other"')])).toBe(false)
    expect(sameListing(list, [entry('a'), entry('b', 10, '"b-10"', 2)])).toBe(false)
  })
})

describe('sameNames', () => {
  it('compares in order', () => {
    expect(sameNames(['a', 'b'], ['a', 'b'])).toBe(true)
    expect(sameNames(['a', 'b'], ['b', 'a'])).toBe(false)
    expect(sameNames(['a'], ['a', 'b'])).toBe(false)
  })
})

describe('withDirty', () => {
  it('hands back the very list when the file already stands as asked (a keystroke in a draft)', () => {
    const list = ['a', 'b']
    expect(withDirty(list, 'a', true)).toBe(list)
    expect(withDirty(list, 'c', false)).toBe(list)
  })

  it('adds a file that became unsaved at the end, and drops one that was saved', () => {
    const list = ['a', 'b']
    expect(withDirty(list, 'c', true)).toEqual(['a', 'b', 'c'])
    expect(withDirty(list, 'a', false)).toEqual(['b'])
    expect(list).toEqual(['a', 'b'])
  })
})
