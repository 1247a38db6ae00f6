/** What an invite link's `#fragment` carries: the room key (y-webrtc's password) and an invite the owner minted (to enrol this browser's key). */
export interface Invite {
  key: string
  code: string
}

const TOKEN = /^[\w-]{16,200}$/
const CODE = /^[\w-]{43}$/

/** An invite link that cannot be read (cut short, mistyped): the author is shown its message. */
export class InviteError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InviteError'
  }
}

/** The invite link of `site`: the studio address with the secrets in the fragment, which browsers never send to a server. */
export function inviteLink(origin: string, site: string, invite: Invite): string {
  const fragment = new URLSearchParams({ key: invite.key, code: invite.code })
  return `${origin}/host/${site}#invite&${fragment.toString()}`
}

/** Whether a location hash is an invite (well-formed or not). */
export function isInviteHash(hash: string): boolean {
  return hash.replace(/^#/, '').startsWith('invite')
}

/** The invite in a location hash, or null when there is none; a damaged one is an error the author is shown. */
export function parseInvite(hash: string): Invite | null {
  const body = hash.replace(/^#/, '')
  if (!isInviteHash(hash)) return null
  const params = new URLSearchParams(body.slice('invite'.length).replace(/^&/, ''))
  const key = params.get('key') ?? ''
  const code = params.get('code') ?? ''
  if (!params.has('code') && params.has('token')) throw new InviteError('this invite link is from an older PeerServer: ask for a new one')
  if (!TOKEN.test(key) || !CODE.test(code)) throw new InviteError('this invite link is damaged: ask for a new one')
  return { key, code }
}
