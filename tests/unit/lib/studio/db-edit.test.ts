import { describe, expect, it } from 'vitest'
import { parseDocumentEdit, replacementPatch } from '../../../../lib/studio/db-edit'
import { createDatabase, MemoryDocumentStore } from '../../../../lib/vserver/db'

describe('parseDocumentEdit refuses', () => {
  it.each([
    ['empty text', '', undefined, 'The document is empty; write a JSON object such as {}.'],
    ['blank text', '  \n', undefined, 'The document is empty; write a JSON object such as {}.'],
    ['broken JSON', '{ "a": 1,, }', undefined, /^Not valid JSON: /],
    ['JavaScript, not JSON', '{ a: 1 }', undefined, /^Not valid JSON: /],
    ['an array', '[{ "a": 1 }]', undefined, 'A document must be a JSON object ({ … }), not an array.'],
    ['a number', '42', undefined, 'A document must be a JSON object ({ … }), not a number.'],
    ['a string', '"hello"', undefined, 'A document must be a JSON object ({ … }), not a string.'],
    ['null', 'null', undefined, 'A document must be a JSON object ({ … }), not null.'],
    ['a changed _id', '{ "_id": "b", "x": 1 }', 'a', 'The _id cannot change (it is "a"); use "New document" to store a copy.'],
    ['a numeric _id on an edit', '{ "_id": 1 }', 'a', 'The _id cannot change (it is "a"); use "New document" to store a copy.'],
    ['a numeric _id on a new document', '{ "_id": 1 }', undefined, 'The _id must be a non-empty string of at most 256 characters; leave it out to get a generated one.'],
    ['an empty _id on a new document', '{ "_id": "" }', undefined, 'The _id must be a non-empty string of at most 256 characters; leave it out to get a generated one.'],
    ['a dotted field name', '{ "a.b": 1 }', undefined, 'The field name "a.b" contains "." (dots separate the parts of a path).'],
    ['an operator field name', '{ "x": { "$set": 1 } }', 'a', 'The field name "x.$set" starts with "$" (reserved for operators).'],
    ['an empty field name in an array', '{ "x": [{ "": 1 }] }', undefined, 'The field name "x.0." is empty.'],
    ['__proto__', '{ "__proto__": { "admin": true } }', undefined, 'The field name "__proto__" is reserved.'],
  ])('%s', (_name, text, expectedId, message) => {
    const result = parseDocumentEdit(text, expectedId)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.message).toMatch(message)
  })
})

describe('parseDocumentEdit accepts', () => {
  it('an edit that keeps the _id', () => {
    expect(parseDocumentEdit('{ "_id": "a", "title": "x", "tags": ["t"] }', 'a')).toEqual({ ok: true, doc: { _id: 'a', title: 'x', tags: ['t'] } })
  })

  it('an edit without _id, keeping the expected one', () => {
    expect(parseDocumentEdit('{ "n": null }', 'a')).toEqual({ ok: true, doc: { _id: 'a', n: null } })
  })

  it('a new document without _id', () => {
    expect(parseDocumentEdit('{}')).toEqual({ ok: true, doc: {} })
  })

  it('a new document with its own _id', () => {
    expect(parseDocumentEdit('{ "_id": "mine", "deep": { "a": [1, { "b": false }] } }')).toEqual({ ok: true, doc: { _id: 'mine', deep: { a: [1, { b: false }] } } })
  })
})

describe('replacementPatch', () => {
  it('sets the new fields and unsets the removed ones', () => {
    expect(replacementPatch({ _id: 'a', keep: 1, gone: 2 }, { _id: 'a', keep: 3, added: { x: 1 } }))
      .toEqual({ $set: { keep: 3, added: { x: 1 } }, $unset: ['gone'] })
  })

  it('replaces a stored document exactly', async () => {
    const db = createDatabase(new MemoryDocumentStore())
    const posts = db.collection('posts')
    await posts.insert({ _id: 'p1', title: 'old', meta: { a: 1, b: 2 }, tags: ['x'] })
    const edit = parseDocumentEdit('{ "_id": "p1", "title": "new", "meta": { "a": 5 } }', 'p1')
    if (!edit.ok) throw new Error(edit.message)
    const current = await posts.get('p1')
    if (!current) throw new Error('p1 is missing')
    expect(await posts.update('p1', replacementPatch(current, edit.doc))).toBe(1)
    expect(await posts.get('p1')).toEqual({ _id: 'p1', title: 'new', meta: { a: 5 } })
  })

  it('empties a document down to its _id', async () => {
    const db = createDatabase(new MemoryDocumentStore())
    await db.collection('c').insert({ _id: 'x', a: 1 })
    expect(await db.collection('c').update('x', replacementPatch({ _id: 'x', a: 1 }, { _id: 'x' }))).toBe(1)
    expect(await db.collection('c').get('x')).toEqual({ _id: 'x' })
  })

  it('changes values when no field is removed (empty $unset)', async () => {
    const db = createDatabase(new MemoryDocumentStore())
    await db.collection('c').insert({ _id: 'x', a: 1 })
    const patch = replacementPatch({ _id: 'x', a: 1 }, { _id: 'x', a: 2 })
    expect(patch).toEqual({ $set: { a: 2 }, $unset: [] })
    expect(await db.collection('c').update('x', patch)).toBe(1)
    expect(await db.collection('c').get('x')).toEqual({ _id: 'x', a: 2 })
  })
})
