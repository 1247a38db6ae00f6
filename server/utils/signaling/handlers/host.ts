import { hostProof, signalError, type ErrorMessage, type ServerMessage } from '../../../../shared/protocol/signal'
import { authorKeyId } from '../author-keys'
import type { HubContext, SignalHandler } from '../context'
import type { PeerEntry } from '../state'
import { provenKey } from './proof'

type Hosting = Extract<ServerMessage, { type: 'hosting' }>

/** The refusal of a claim the registry turned down. */
function claimRefused(ctx: HubContext, reason: 'too-many-names' | undefined): ErrorMessage {
  if (reason === undefined) return signalError('name-taken', 'that name is taken')
  const perHour = ctx.guards.limits.newSitesPerAddressPerHour
  return signalError('too-many-names', `this address claimed ${perHour} new site names in the last hour, as many as it may; try again later, or host a name it has`)
}

/** May the connection's address claim one more new name now (NEW_SITES_PER_ADDRESS_PER_HOUR)? Asked only when the name is free. */
function newNameAdmitter(ctx: HubContext, from: PeerEntry): () => boolean {
  return () => ctx.guards.newSites.take(from.address, ctx.now())
}

/** Claim the name with `claim` and, when it is granted, register the connection as a host; one claim in flight per connection. */
async function register(ctx: HubContext, from: PeerEntry, site: string, claim: () => Promise<Hosting | ErrorMessage>, authorKey: string | null): Promise<void> {
  const id = from.peer.id
  from.claiming = true
  try {
    const hosting = await claim()
    // The connection may have closed while the registry answered.
    if (ctx.state.peers.get(id) !== from) return
    if (hosting.type === 'error') {
      ctx.send(id, hosting)
      return
    }
    ctx.state.addHost(id, site)
    from.authorKey = authorKey
    // Listed before it is told: a visitor on another instance finds it once it knows it hosts.
    if (ctx.backplane.shared) await ctx.backplane.hosts.add(site, id, authorKey).catch((error: unknown) => ctx.log.warn(`could not list ${id} as a host of ${site} for other instances`, error))
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
      const claim = await ctx.registry.claim(site, token, newNameAdmitter(ctx, from))
      return claim.ok ? { type: 'hosting', site, token: claim.token, code: claim.code } : claimRefused(ctx, claim.reason)
    }, null)
    return
  }
  await register(ctx, from, site, async () => {
    const claim = await ctx.registry.claimWithKey(site, proven, token, message.name, newNameAdmitter(ctx, from))
    return claim.ok ? { type: 'hosting', site, code: claim.code, role: claim.role, room: claim.room } : claimRefused(ctx, claim.reason)
  }, proven)
}
