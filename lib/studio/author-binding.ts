import type * as Monaco from 'monaco-editor'
import type { MonacoBinding } from 'y-monaco'
import type { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'

/** How long keystrokes in a row make one undo step (Yjs's default; Monaco's is about the same). */
export const UNDO_CAPTURE_MS = 500

/**
 * Where a selection stands in the shared text, as y-monaco keeps it across a
 * co-author's change: relative positions, so it moves with the text around it.
 * A caret (and a selection's end) sticks to the character on its left, its
 * start to the one on its right: a co-author's typing at the very spot lands
 * beside this author's run, never inside it (y-monaco's own choice, the
 * character on the right, puts the caret after every character the others
 * type there, so runs typed at one spot interleave).
 */
export function relativeSelection(text: Y.Text, start: number, end: number): { start: Y.RelativePosition, end: Y.RelativePosition } {
  if (start === end) {
    const caret = Y.createRelativePositionFromTypeIndex(text, start, -1)
    return { start: caret, end: caret }
  }
  return { start: Y.createRelativePositionFromTypeIndex(text, start, 0), end: Y.createRelativePositionFromTypeIndex(text, end, -1) }
}

/** This author's undo history of one file: only the changes this binding made, never a co-author's. */
export function authorUndo(text: Y.Text, origin: unknown): Y.UndoManager {
  return new Y.UndoManager(text, { trackedOrigins: new Set([origin]), captureTimeout: UNDO_CAPTURE_MS })
}

/** A file's Monaco model bound to its shared text, with this author's own undo. */
export interface AuthorBinding {
  binding: MonacoBinding
  undo: Y.UndoManager
  destroy(): void
}

/**
 * Bind `model` to `text` with y-monaco, then (1) keep carets with the
 * association above, and (2) give the author an undo history of their own
 * changes (y-monaco transacts with the binding as origin).
 */
export function bindAuthorText(Binding: typeof MonacoBinding, text: Y.Text, model: Monaco.editor.ITextModel, editor: Monaco.editor.IStandaloneCodeEditor, awareness: Awareness | null): AuthorBinding {
  const binding = new Binding(text, model, new Set([editor]), awareness)
  const doc = binding.doc
  // y-monaco saves every editor's selection before each transaction and restores it after a remote change: save ours instead.
  doc.off('beforeAllTransactions', binding._beforeTransaction)
  binding._beforeTransaction = () => binding.mux(() => {
    binding._savedSelections = new Map()
    const selection = editor.getModel() === model ? editor.getSelection() : null
    if (!selection) return
    const at = relativeSelection(text, model.getOffsetAt(selection.getStartPosition()), model.getOffsetAt(selection.getEndPosition()))
    binding._savedSelections.set(editor, { ...at, direction: selection.getDirection() })
  })
  doc.on('beforeAllTransactions', binding._beforeTransaction)
  const undo = authorUndo(text, binding)
  return {
    binding,
    undo,
    destroy() {
      undo.destroy()
      binding.destroy()
    },
  }
}
