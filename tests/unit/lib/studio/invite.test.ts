import { describe, expect, it } from 'vitest'
import { inviteLink, parseInvite } from '../../../../lib/studio/invite'

describe('invite links', () => {
  const invite = { key: 'k'.repeat(43), code: 'C0d-e_'.repeat(8).slice(0, 43) }

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
    ['no key', `#invite&code=${'c'.repeat(43)}`],
    ['a short code', '#invite&key=abcdefghijklmnopqrstu&code=abc'],
    ['characters outside base64url', `#invite&key=abcdefghijklmnop%3Cscript&code=${'c'.repeat(43)}`],
  ])('refuse a damaged invite (%s) with a message', (_, hash) => {
    expect(() => parseInvite(hash)).toThrow('this invite link is damaged')
  })

  it('an invite of an older PeerServer (an owner token in the link) is refused, asking for a new one', () => {
    expect(() => parseInvite('#invite&key=abcdefghijklmnopqrstu&token=abcdefghijklmnopqrstu')).toThrow('from an older PeerServer')
  })
})
