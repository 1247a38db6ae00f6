import { signalError, type AuthorEntry } from '../../../../shared/protocol/signal'
import { authorKeyId } from '../author-keys'
import type { HubContext, SignalHandler } from '../context'
import { hostingKey } from './proof'

/** The keys that host `site` from a live tab now. */
function onlineKeys(ctx: HubContext, site: string): Set<string> {
  const keys = new Set<string>()
  for (const id of ctx.state.hostsOf(site)) {
    const key = ctx.state.peers.get(id)?.authorKey
    if (key) keys.add(key)
  }
  return keys
}

/** `authors`: the author list of the site this connection hosts by key, for any of its authors. */
export const authorsMessageHandler: SignalHandler<'authors'> = async (ctx, from) => {
  const host = hostingKey(ctx, from)
  if (!host) return
  const online = onlineKeys(ctx, host.site)
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
 * told the room's new epoch and secret, and moves there.
 */
export const authorRemoveMessageHandler: SignalHandler<'author-remove'> = async (ctx, from, message) => {
  const host = hostingKey(ctx, from)
  if (!host) return
  const removal = await ctx.registry.removeAuthor(host.site, host.key, message.author)
  if (!removal.ok) {
    ctx.send(from.peer.id, removal.reason === 'not-owner' ? signalError('not-owner') : signalError('bad-author', `${host.site} has no other author with the id ${message.author}`))
    return
  }
  ctx.authorRemoved(host.site, removal.key, removal.room.epoch)
  for (const id of ctx.state.hostsOf(host.site)) {
    const entry = ctx.state.peers.get(id)
    if (!entry) continue
    if (entry.authorKey === removal.key) {
      ctx.send(id, signalError('removed', `the owner removed this browser from the authors of ${host.site}`))
      entry.peer.close(4403, 'removed')
      continue
    }
    ctx.send(id, { type: 'author-removed', site: host.site, author: message.author, room: removal.room })
  }
  ctx.log.info(`${authorKeyId(host.key)} removed ${message.author} from ${host.site} (room epoch ${removal.room.epoch})`)
}
