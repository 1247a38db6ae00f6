import { signalError, type AuthorEntry } from '../../../../shared/protocol/signal'
import { authorKeyId } from '../author-keys'
import { applyAuthorRemoval, tellInstance } from '../cluster'
import { BROADCAST_CHANNEL } from '../cluster-messages'
import type { HubContext, SignalHandler } from '../context'
import { hostingKey } from './proof'

/** The keys that host `site` from a live tab now, on any instance. */
async function onlineKeys(ctx: HubContext, site: string): Promise<Set<string>> {
  const keys = new Set<string>()
  for (const id of ctx.state.hostsOf(site)) {
    const key = ctx.state.peers.get(id)?.authorKey
    if (key) keys.add(key)
  }
  if (!ctx.backplane.shared) return keys
  for (const record of await ctx.backplane.hosts.remote(site)) {
    if (record.key) keys.add(record.key)
  }
  return keys
}

/** `authors`: the author list of the site this connection hosts by key, for any of its authors. */
export const authorsMessageHandler: SignalHandler<'authors'> = async (ctx, from) => {
  const host = hostingKey(ctx, from)
  if (!host) return
  const online = await onlineKeys(ctx, host.site)
  const authors: AuthorEntry[] = (await ctx.registry.authors(host.site)).map(author => ({
    id: authorKeyId(author.key),
    role: author.role,
    ...(author.name === undefined ? {} : { name: author.name }),
    addedAt: author.addedAt,
    online: online.has(author.key),
    self: author.key === host.key,
  }))
  ctx.send(from.peer.id, { type: 'authors', site: host.site, authors })
}

/**
 * `author-remove`: the owner removes an author. The server forgets the key;
 * every tab hosting with it is told `removed` and closed; the room signaling
 * shuts it out; every other tab hosting the site (the owner's included) is
 * told the room's new epoch and secret, and moves there. Every instance
 * does the same for its own tabs and rooms.
 */
export const authorRemoveMessageHandler: SignalHandler<'author-remove'> = async (ctx, from, message) => {
  const host = hostingKey(ctx, from)
  if (!host) return
  const removal = await ctx.registry.removeAuthor(host.site, host.key, message.author)
  if (!removal.ok) {
    ctx.send(from.peer.id, removal.reason === 'not-owner' ? signalError('not-owner') : signalError('bad-author', `${host.site} has no other author with the id ${message.author}`))
    return
  }
  const applied = { site: host.site, key: removal.key, author: message.author, room: removal.room }
  applyAuthorRemoval(ctx, applied)
  if (ctx.backplane.shared) tellInstance(ctx, BROADCAST_CHANNEL, { kind: 'author-removed', ...applied })
  ctx.log.info(`${authorKeyId(host.key)} removed ${message.author} from ${host.site} (room epoch ${removal.room.epoch})`)
}
