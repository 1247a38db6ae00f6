import { describe, expect, it } from 'vitest'
import { roomProof, type RoomState } from '../../../../../shared/protocol/signal'
import { siteRoomName } from '../../../../../shared/protocol/yjs-signal'
import type { RoomAccess } from '../../../../../server/utils/yjs-signaling/state'
import { admitRoomTicket, readRoomTicket, type RoomLookup } from '../../../../../server/utils/yjs-signaling/ticket'
import { createTestAuthor, type TestAuthor } from '../signaling/test-authors'
import { createTestRooms } from './fake-peers'

const access = (site: string, epoch: number, key = 'k'): RoomAccess => ({ site, epoch, key, topic: siteRoomName(site, epoch) })

/** A ticket URL as the studio makes it (lib/studio/site-room.ts roomSignalUrl). */
async function ticketUrl(author: TestAuthor, site: string, epoch: number, signedEpoch = epoch): Promise<string> {
  const sig = await author.sign(roomProof(site, signedEpoch))
  return `ws://127.0.0.1/_ps/yjs?${new URLSearchParams({ site, epoch: String(epoch), key: author.key, sig })}`
}

/** A registry lookup where `authors` are the site's authors and the room is at `room`. */
function lookup(site: string, authors: TestAuthor[], room: RoomState): RoomLookup {
  return async (name, key) => (name === site && authors.some(author => author.key === key) ? room : null)
}

describe('room tickets', () => {
  it('names a room per epoch, the first one as before removals existed', () => {
    expect(siteRoomName('blog', 0)).toBe('peerserver:blog')
    expect(siteRoomName('blog', 3)).toBe('peerserver:blog#3')
  })

  it('lets a current author into the current epoch\'s room, and only that topic', async () => {
    const ada = await createTestAuthor()
    const ticket = readRoomTicket(await ticketUrl(ada, 'blog', 2))
    expect(ticket).not.toBeNull()
    const admitted = await admitRoomTicket(ticket!, lookup('blog', [ada], { epoch: 2, secret: 's'.repeat(43) }))
    expect(admitted).toEqual({ ok: true, access: { site: 'blog', epoch: 2, key: ada.key, topic: 'peerserver:blog#2' } })
  })

  it.each([
    ['no query', 'ws://127.0.0.1/_ps/yjs'],
    ['a bad site', 'ws://127.0.0.1/_ps/yjs?site=Bad_Site&epoch=0&key=k&sig=s'],
    ['a negative epoch', `ws://127.0.0.1/_ps/yjs?site=blog&epoch=-1&key=${'a'.repeat(91)}&sig=${'b'.repeat(86)}`],
    ['a fractional epoch', `ws://127.0.0.1/_ps/yjs?site=blog&epoch=1.5&key=${'a'.repeat(91)}&sig=${'b'.repeat(86)}`],
    ['a short signature', `ws://127.0.0.1/_ps/yjs?site=blog&epoch=0&key=${'a'.repeat(91)}&sig=abc`],
  ])('reads no ticket from a URL with %s', (_, url) => {
    expect(readRoomTicket(url)).toBeNull()
  })

  it('refuses a removed author, an old epoch, another site, and a signature of something else', async () => {
    const [ada, bob] = [await createTestAuthor(), await createTestAuthor()]
    const room = lookup('blog', [ada], { epoch: 1, secret: 's'.repeat(43) })
    const refusals = [
      await admitRoomTicket(readRoomTicket(await ticketUrl(bob, 'blog', 1))!, room),
      await admitRoomTicket(readRoomTicket(await ticketUrl(ada, 'blog', 0))!, room),
      await admitRoomTicket(readRoomTicket(await ticketUrl(ada, 'wiki', 1))!, room),
      await admitRoomTicket(readRoomTicket(await ticketUrl(ada, 'blog', 1, 7))!, room),
      await admitRoomTicket({ ...readRoomTicket(await ticketUrl(ada, 'blog', 1))!, key: bob.key }, lookup('blog', [ada, bob], { epoch: 1 })),
    ]
    expect(refusals.map(refusal => refusal.ok)).toEqual([false, false, false, false, false])
    expect(refusals.map(refusal => (refusal.ok ? '' : refusal.why))).toEqual([
      'the ticket\'s key is not an author of blog',
      'the room of blog is at epoch 1, the ticket is for 0',
      'the ticket\'s key is not an author of wiki',
      'the ticket\'s signature does not verify with its key',
      'the ticket\'s signature does not verify with its key',
    ])
  })
})

describe('yjs room hub: access by ticket', () => {
  it('refuses a subscribe or publish to any topic but the ticket\'s, and changes nothing', () => {
    const { connect, rooms } = createTestRooms()
    const ada = connect('ada', access('blog', 1))
    ada.say({ type: 'subscribe', topics: ['peerserver:blog#1', 'peerserver:wiki'] })
    ada.say({ type: 'subscribe', topics: ['peerserver:blog'] })
    ada.say({ type: 'publish', topic: 'peerserver:blog', data: 'x' })
    expect(ada.take().map(message => message.type === 'error' && message.code)).toEqual(['forbidden-topic', 'forbidden-topic', 'forbidden-topic'])
    expect(rooms.stats().subscriptions).toBe(0)
    ada.say({ type: 'subscribe', topics: ['peerserver:blog#1'] })
    ada.say({ type: 'publish', topic: 'peerserver:blog#1', data: 'x' })
    expect(ada.take()).toEqual([{ type: 'publish', topic: 'peerserver:blog#1', data: 'x', clients: 1 }])
  })

  it('evicts the connections of a site at older epochs, and no others', () => {
    const { connect, rooms } = createTestRooms()
    const old = [connect('a', access('blog', 0)), connect('b', access('blog', 0, 'k2'))]
    const current = connect('c', access('blog', 1))
    const other = connect('d', access('wiki', 0))
    const untracked = connect('e')
    for (const peer of [...old, current, other]) peer.say({ type: 'subscribe', topics: [siteRoomName(peer.id === 'd' ? 'wiki' : 'blog', peer.id === 'c' ? 1 : 0)] })
    expect(rooms.evict('blog', 1)).toBe(2)
    expect(old.map(peer => peer.closed)).toEqual([4403, 4403])
    expect([current.closed, other.closed, untracked.closed]).toEqual([null, null, null])
    expect(rooms.stats()).toEqual({ peers: 3, topics: 2, subscriptions: 2 })
    // What an evicted connection still sends reaches no one.
    old[0]!.say({ type: 'publish', topic: 'peerserver:blog', data: 'late' })
    expect(current.take()).toEqual([])
  })
})
