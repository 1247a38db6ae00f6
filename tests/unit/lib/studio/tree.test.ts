import { describe, expect, it } from 'vitest'
import { buildTree, flattenTree, folderOf, movedPath, treeKey } from '../../../../lib/studio/tree'

const files = [
  { path: 'README.md', size: 1 },
  { path: 'views/post.mustache', size: 2 },
  { path: 'routes/index.js', size: 3 },
  { path: 'public/index.html', size: 4 },
  { path: 'public/css/site.css', size: 5 },
  { path: 'lib/db.js', size: 6 },
  { path: 'routes/posts/[id].get.js', size: 7 },
]

function rows(collapsed: string[] = [], folders: string[] = []) {
  return flattenTree(buildTree(files, folders), new Set(collapsed)).map(({ node, depth }) => `${'  '.repeat(depth)}${node.name}${node.kind === 'folder' ? '/' : ''}`)
}

describe('file tree', () => {
  it('puts the site folders first in request order, folders before files, then by name', () => {
    expect(rows()).toEqual([
      'public/', '  css/', '    site.css', '  index.html',
      'routes/', '  posts/', '    [id].get.js', '  index.js',
      'views/', '  post.mustache',
      'lib/', '  db.js',
      'README.md',
    ])
  })

  it('hides what is inside a collapsed folder', () => {
    expect(rows(['public', 'routes/posts'])).toEqual([
      'public/', 'routes/', '  posts/', '  index.js', 'views/', '  post.mustache', 'lib/', '  db.js', 'README.md',
    ])
  })

  it('shows empty folders the author created, nested ones too', () => {
    expect(rows([], ['public/img', 'assets/fonts/'])).toContain('  img/')
    expect(rows([], ['assets/fonts/'])).toEqual(expect.arrayContaining(['assets/', '  fonts/']))
  })

  it('keeps sizes and paths on file nodes', () => {
    const [pub] = buildTree(files)
    expect(pub?.children.find(node => node.name === 'index.html')).toEqual({ name: 'index.html', path: 'public/index.html', kind: 'file', size: 4, children: [] })
  })

  it('is empty for an empty site', () => {
    expect(buildTree([])).toEqual([])
  })
})

describe('tree paths', () => {
  it.each([
    [null, undefined, ''],
    ['public/css', 'folder', 'public/css'],
    ['public/css/site.css', 'file', 'public/css'],
    ['README.md', 'file', ''],
  ] as const)('a new file next to %s (%s) goes into "%s"', (selected, kind, folder) => {
    expect(folderOf(selected, kind)).toBe(folder)
  })

  it('moves a file or folder into another folder, keeping its name', () => {
    expect(movedPath('public/a.png', 'public/img')).toBe('public/img/a.png')
    expect(movedPath('public/img', '')).toBe('img')
  })
})

describe('the file tree by keyboard', () => {
  const files = ['public/index.html', 'public/css/site.css', 'routes/hello.get.js'].map(path => ({ path, size: 1 }))
  const rowsWith = (collapsed: string[]) => flattenTree(buildTree(files, []), new Set(collapsed))
  // Open tree: public/, public/css/, public/css/site.css, public/index.html, routes/, routes/hello.get.js

  it.each([
    ['public', 'ArrowDown', [], { kind: 'focus', path: 'public/css' }],
    ['public/css', 'ArrowUp', [], { kind: 'focus', path: 'public' }],
    ['public', 'ArrowUp', [], { kind: 'focus', path: 'public' }],
    ['routes/hello.get.js', 'ArrowDown', [], { kind: 'focus', path: 'routes/hello.get.js' }],
    ['public/index.html', 'Home', [], { kind: 'focus', path: 'public' }],
    ['public', 'End', [], { kind: 'focus', path: 'routes/hello.get.js' }],
    ['public', 'ArrowRight', [], { kind: 'focus', path: 'public/css' }],
    ['public', 'ArrowRight', ['public'], { kind: 'expand', path: 'public' }],
    ['public', 'ArrowLeft', [], { kind: 'collapse', path: 'public' }],
    ['public/css/site.css', 'ArrowLeft', [], { kind: 'focus', path: 'public/css' }],
    ['public/css', 'ArrowLeft', ['public/css'], { kind: 'focus', path: 'public' }],
    ['public', 'ArrowLeft', ['public'], null],
    ['public/index.html', 'ArrowRight', [], null],
    ['public/index.html', 'Enter', [], { kind: 'activate', path: 'public/index.html' }],
    ['routes', ' ', [], { kind: 'activate', path: 'routes' }],
    ['routes', 'x', [], null],
    ['routes', 'ArrowDown', ['public'], { kind: 'focus', path: 'routes/hello.get.js' }],
  ] as const)('on %s, %s (closed: %j) does %j', (current, key, collapsed, expected) => {
    expect(treeKey(rowsWith([...collapsed]), new Set(collapsed), current, key)).toEqual(expected)
  })

  it('a row that went away (renamed, deleted) hands the focus to the first row', () => {
    expect(treeKey(rowsWith([]), new Set(), 'gone.html', 'ArrowDown')).toEqual({ kind: 'focus', path: 'public' })
    expect(treeKey([], new Set(), 'gone.html', 'ArrowDown')).toBeNull()
  })
})
