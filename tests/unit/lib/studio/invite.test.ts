import { describe, expect, it } from 'vitest'
import { inviteLink, parseInvite } from '../../../../lib/studio/invite'

describe('invite links', () => {
  const invite = { key: 'k'.repeat(43), token: 'T0k-en_'.repeat(6) }

  it('carry the key and token in the fragment only', () => {
    const link = inviteLink('http://localhost:3000', 'class-blog', invite)
    const url = new URL(link)
    expect(url.pathname).toBe('/host/class-blog')
    expect(url.search).toBe('')
    expect(parseInvite(url.hash)).toEqual(invite)
  })

  it('are not there in an ordinary address', () => {
    expect(parseInvite('')).toBeNull()
    expect(parseInvite('#section-2')).toBeNull()
  })

  it.each([
    ['no key', '#invite&token=abcdefghijklmnopqrstu'],
    ['a short token', '#invite&key=abcdefghijklmnopqrstu&token=abc'],
    ['characters outside base64url', '#invite&key=abcdefghijklmnop%3Cscript&token=abcdefghijklmnopqrstu'],
  ])('refuse a damaged invite (%s) with a message', (_, hash) => {
    expect(() => parseInvite(hash)).toThrow('this invite link is damaged')
  })
})
