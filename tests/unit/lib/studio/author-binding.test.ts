import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { authorUndo, relativeSelection } from '../../../../lib/studio/author-binding'

/** Two authors' copies of one text, each typing as its own binding (the origin), synced by hand. */
function twoAuthors(initial = 'X') {
  const [a, b] = [new Y.Doc(), new Y.Doc()]
  a.getText('t').insert(0, initial)
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  const sync = () => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
  }
  return { a, b, sync }
}

/** An author at a caret: types where the caret is, and keeps the caret across the other's changes as the binding does. */
function author(doc: Y.Doc, origin: object, caret: number) {
  const text = doc.getText('t')
  let saved = relativeSelection(text, caret, caret)
  const index = () => Y.createAbsolutePositionFromRelativePosition(saved.start, doc)?.index ?? -1
  return {
    type(chars: string) {
      for (const char of chars) {
        const at = index()
        doc.transact(() => text.insert(at, char), origin)
        saved = relativeSelection(text, at + 1, at + 1)
      }
    },
    index,
  }
}

describe('carets across a co-author\'s typing', () => {
  it('keeps each author\'s run whole when both type at the same spot at once', () => {
    const { a, b, sync } = twoAuthors('X')
    const [ada, bob] = [author(a, {}, 1), author(b, {}, 1)]
    for (let i = 0; i < 5; i++) {
      ada.type('a')
      bob.type('b')
      sync()
    }
    const result = a.getText('t').toString()
    expect(b.getText('t').toString()).toBe(result)
    expect(result).toMatch(/^X(aaaaabbbbb|bbbbbaaaaa)$/)
  })

  it('y-monaco\'s own association (the character on the right) interleaves them: the reason for ours', () => {
    const { a, b, sync } = twoAuthors('X')
    const caretAt = (doc: Y.Doc, pos: Y.RelativePosition) => Y.createAbsolutePositionFromRelativePosition(pos, doc)?.index ?? -1
    const texts = [a.getText('t'), b.getText('t')]
    const carets = texts.map(text => Y.createRelativePositionFromTypeIndex(text, 1))
    for (let i = 0; i < 5; i++) {
      texts.forEach((text, n) => {
        const at = caretAt(text.doc!, carets[n]!)
        text.insert(at, n === 0 ? 'a' : 'b')
        carets[n] = Y.createRelativePositionFromTypeIndex(text, at + 1)
      })
      sync()
    }
    expect(a.getText('t').toString()).not.toMatch(/^X(aaaaabbbbb|bbbbbaaaaa)$/)
  })

  it('keeps a selection from growing over text typed at its edges', () => {
    const doc = new Y.Doc()
    const text = doc.getText('t')
    text.insert(0, 'abcdef')
    const selection = relativeSelection(text, 2, 4)
    text.insert(4, 'XX')
    text.insert(2, 'YY')
    const [start, end] = [selection.start, selection.end].map(pos => Y.createAbsolutePositionFromRelativePosition(pos, doc)?.index)
    expect(text.toString().slice(start, end)).toBe('cd')
  })
})

describe('undo per author', () => {
  it('takes back only this author\'s typing, after a co-author typed in between, and redoes it', () => {
    const { a, b, sync } = twoAuthors('')
    const [adaOrigin, bobOrigin] = [{}, {}]
    const undo = authorUndo(a.getText('t'), adaOrigin)
    a.transact(() => a.getText('t').insert(0, 'ada'), adaOrigin)
    sync()
    b.transact(() => b.getText('t').insert(3, ' bob'), bobOrigin)
    sync()
    undo.stopCapturing()
    undo.undo()
    expect(a.getText('t').toString()).toBe(' bob')
    sync()
    expect(b.getText('t').toString()).toBe(' bob')
    undo.redo()
    expect(a.getText('t').toString()).toBe('ada bob')
  })

  it('has nothing to undo from a co-author\'s changes alone', () => {
    const { a, b, sync } = twoAuthors('')
    const undo = authorUndo(a.getText('t'), {})
    b.transact(() => b.getText('t').insert(0, 'bob'), {})
    sync()
    undo.undo()
    expect(a.getText('t').toString()).toBe('bob')
    expect(undo.undoStack).toHaveLength(0)
  })
})
