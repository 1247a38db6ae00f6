import { describe, expect, it } from 'vitest'
import { prettyDocument, previewDocument } from '../../../../lib/studio/db-preview'

describe('previewDocument', () => {
  it('shows the fields without _id on one line', () => {
    expect(previewDocument({ _id: 'a', title: 'Hi\nthere', tags: ['x'] })).toBe('{"title":"Hi\\nthere","tags":["x"]}')
  })

  it('shows an empty document as {}', () => {
    expect(previewDocument({ _id: 'a' })).toBe('{}')
  })

  it('cuts a long preview to max characters', () => {
    const preview = previewDocument({ _id: 'a', text: 'x'.repeat(500) }, 20)
    expect(preview).toHaveLength(20)
    expect(preview.endsWith('…')).toBe(true)
  })
})

describe('prettyDocument', () => {
  it('indents by two spaces, _id included', () => {
    expect(prettyDocument({ _id: 'a', n: 1 })).toBe('{\n  "_id": "a",\n  "n": 1\n}')
  })
})
