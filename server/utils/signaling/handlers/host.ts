import { hostProof, signalError, type ServerMessage } from '../../../../shared/protocol/signal'
import { authorKeyId } from '../author-keys'
import type { HubContext, SignalHandler } from '../context'
import type { PeerEntry } from '../state'
import { provenKey } from './proof'

type Hosting = Extract<ServerMessage, { type: 'hosting' }>

/** Claim the name with `claim` and, when it is granted, register the connection as a host; one claim in flight per connection. */
async function register(ctx: HubContext, from: PeerEntry, site: string, claim: () => Promise<Hosting | null>, authorKey: string | null): Promise<void> {
  const id = from.peer.id
  from.claiming = true
  try {
    const hosting = await claim()
    // The connection may have closed while the registry answered.
    if (ctx.state.peers.get(id) !== from) return
    if (!hosting) {
      ctx.send(id, signalError('name-taken', 'that name is taken'))
      return
    }
    ctx.state.addHost(id, site)
    from.authorKey = authorKey
    ctx.send(id, hosting)
    ctx.log.info(`${id} hosts ${site}${authorKey === null ? ' (owner token)' : ` as ${hosting.role} ${authorKeyId(authorKey)}`}`)
  }
  finally {
    from.claiming = false
  }
}

/**
 * `host`: claim the site name and register this connection as a host of it,
 * telling it the site's join code. With `key`: the signature of the pending
 * challenge proves the key, which must be the site's author (or claims a
 * free name, or migrates a legacy site with its `token`). Without: the legacy
 * owner token, minted at the first claim.
 */
export const hostMessageHandler: SignalHandler<'host'> = async (ctx, from, message) => {
  const { site, key, token } = message
  // A key registration uses up the pending challenge first, whatever happens next.
  const proven = key === undefined ? null : provenKey(ctx, from, key, message.signature, nonce => hostProof(site, nonce))
  if (key !== undefined && proven === null) return
  if (from.site !== null || from.claiming) {
    ctx.send(from.peer.id, signalError('already-hosting', `this connection already hosts ${from.site ?? 'a site'}; open another connection to host another`))
    return
  }
  if (proven === null) {
    await register(ctx, from, site, async () => {
      const claim = await ctx.registry.claim(site, token)
      return claim.ok ? { type: 'hosting', site, token: claim.token, code: claim.code } : null
    }, null)
    return
  }
  await register(ctx, from, site, async () => {
    const claim = await ctx.registry.claimWithKey(site, proven, token, message.name)
    return claim.ok ? { type: 'hosting', site, code: claim.code, role: claim.role, room: claim.room } : null
  }, proven)
}
