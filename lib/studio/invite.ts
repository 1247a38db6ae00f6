/** What an invite link's `#fragment` carries: the room key (y-webrtc's password) and the owner token (to host). */
export interface Invite {
  key: string
  token: string
}

const TOKEN = /^[\w-]{16,200}$/

/** An invite link that cannot be read (cut short, mistyped): the author is shown its message. */
export class InviteError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InviteError'
  }
}

/** The invite link of `site`: the studio address with the secrets in the fragment, which browsers never send to a server. */
export function inviteLink(origin: string, site: string, invite: Invite): string {
  const fragment = new URLSearchParams({ key: invite.key, token: invite.token })
  return `${origin}/host/${site}#invite&${fragment.toString()}`
}

/** The invite in a location hash, or null when there is none; a damaged one is an error the author is shown. */
export function parseInvite(hash: string): Invite | null {
  const body = hash.replace(/^#/, '')
  if (!body.startsWith('invite')) return null
  const params = new URLSearchParams(body.slice('invite'.length).replace(/^&/, ''))
  const key = params.get('key') ?? ''
  const token = params.get('token') ?? ''
  if (!TOKEN.test(key) || !TOKEN.test(token)) throw new InviteError('this invite link is damaged: ask for a new one')
  return { key, token }
}
