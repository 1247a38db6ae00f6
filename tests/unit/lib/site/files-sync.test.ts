import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { YjsFileStore } from '../../../../lib/site'
import { diffSpan } from '../../../../lib/site/text'
import { connect, exchange } from './helpers'

function twoStores() {
  const a = new YjsFileStore(new Y.Doc(), { now: () => 1 })
  const b = new YjsFileStore(new Y.Doc(), { now: () => 2 })
  return { a, b }
}

describe('minimal edits', () => {
  it.each([
    ['abc', 'abc', { start: 3, deleteCount: 0, insert: '' }],
    ['hello world', 'hello brave world', { start: 6, deleteCount: 0, insert: 'brave ' }],
    ['aXb', 'ab', { start: 1, deleteCount: 1, insert: '' }],
    ['aaa', 'aaaa', { start: 3, deleteCount: 0, insert: 'a' }],
    ['', 'new', { start: 0, deleteCount: 0, insert: 'new' }],
    // 😀 and 😁 share their high surrogate: the span must not split the pair.
    ['x😀y', 'x😁y', { start: 1, deleteCount: 2, insert: '😁' }],
  ])('diffs %j → %j', (before, after, span) => {
    expect(diffSpan(before, after)).toEqual(span)
  })

  it('keeps a co-author\'s concurrent edit when a whole-file save changes another part', async () => {
    const { a, b } = twoStores()
    await a.write('public/index.html', '<h1>Title</h1>\n<p>Body</p>\n')
    exchange(a.doc, b.doc)
    // Offline from each other: b types in the heading, a saves the whole file with a new body.
    b.text('public/index.html')?.insert(4, 'My ')
    await a.write('public/index.html', '<h1>Title</h1>\n<p>New body</p>\n')
    exchange(a.doc, b.doc)
    const merged = '<h1>My Title</h1>\n<p>New body</p>\n'
    expect(a.readText('public/index.html')).toBe(merged)
    expect(b.readText('public/index.html')).toBe(merged)
  })

  it('keeps the same Y.Text across saves, so an editor bound to it stays bound', async () => {
    const { a } = twoStores()
    await a.write('public/a.js', 'let x = 1')
    const text = a.text('public/a.js')
    await a.write('public/a.js', new TextEncoder().encode('let x = 2'))
    expect(a.text('public/a.js')).toBe(text)
    expect(text?.toString()).toBe('let x = 2')
  })
})

describe('file changes across peers', () => {
  it('reports changed paths once per transaction, local and remote, text edits included', async () => {
    const { a, b } = twoStores()
    connect(a.doc, b.doc)
    const heardA: string[][] = []
    const heardB: string[][] = []
    a.onChange(paths => heardA.push(paths))
    b.onChange(paths => heardB.push(paths))
    await a.write('public/x.txt', 'one')
    await a.write('public/x.txt', 'two')
    b.text('public/x.txt')?.insert(0, '>')
    a.addFolder('public/empty')
    b.save('public/x.txt')
    b.rename('public/x.txt', 'public/y.txt')
    await a.write('public/logo.png', new Uint8Array([1]))
    const expected = [['public/x.txt'], ['public/x.txt'], ['public/x.txt'], ['public/empty'], ['public/x.txt'], ['public/x.txt', 'public/y.txt'], ['public/logo.png']]
    expect(heardA).toEqual(expected)
    expect(heardB).toEqual(expected)
    expect(await a.read('public/y.txt')).toEqual(new TextEncoder().encode('>two'))
  })

  it('forgets a cached etag when a remote change lands', async () => {
    const { a, b } = twoStores()
    connect(a.doc, b.doc)
    await a.write('public/s.css', 'a{}')
    const before = await b.stat('public/s.css')
    await a.write('public/s.css', 'b{}')
    const after = await b.stat('public/s.css')
    expect(after?.etag).not.toBe(before?.etag)
    expect(after?.etag).toBe((await a.stat('public/s.css'))?.etag)
    expect(after?.mtime).toBe(1)
  })

  it('stops reporting after unsubscribe and destroy', async () => {
    const { a } = twoStores()
    const heard: string[][] = []
    const off = a.onChange(paths => heard.push(paths))
    await a.write('a.txt', '1')
    off()
    await a.write('a.txt', '2')
    a.onChange(paths => heard.push(paths))
    a.destroy()
    await a.write('a.txt', '3')
    expect(heard).toEqual([['a.txt']])
  })
})
