import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { roomProof } from '../../../../shared/protocol/signal'
import { loadAuthorKey, memoryKeyStore } from '../../../../lib/studio/author-key'
import { createSiteRoom, roomPassword, roomSignalUrl } from '../../../../lib/studio/site-room'
import { readRoomTicket, admitRoomTicket } from '../../../../server/utils/yjs-signaling/ticket'

const ROOM_KEY = 'the-room-key-of-blog-0123456789abcdef'
const SECRET = 'c2VjcmV0LW9mLWVwb2NoLW9uZS0wMTIzNDU2Nzg5YWI'

describe('the co-authors\' room', () => {
  it('keeps the room key as the password until a removal, then derives one neither half gives alone', async () => {
    expect(await roomPassword(ROOM_KEY, 'blog', { epoch: 0 })).toBe(ROOM_KEY)
    const one = await roomPassword(ROOM_KEY, 'blog', { epoch: 1, secret: SECRET })
    expect(one).toMatch(/^[\w-]{43}$/)
    expect(one).not.toBe(ROOM_KEY)
    // The same halves give the same password in every author's tab; any other half gives another.
    expect(await roomPassword(ROOM_KEY, 'blog', { epoch: 1, secret: SECRET })).toBe(one)
    expect(await roomPassword(`${ROOM_KEY}x`, 'blog', { epoch: 1, secret: SECRET })).not.toBe(one)
    expect(await roomPassword(ROOM_KEY, 'blog', { epoch: 2, secret: SECRET })).not.toBe(one)
    expect(await roomPassword(ROOM_KEY, 'wiki', { epoch: 1, secret: SECRET })).not.toBe(one)
  })

  it('refuses an epoch past 0 without its secret', async () => {
    await expect(roomPassword(ROOM_KEY, 'blog', { epoch: 1 })).rejects.toThrow(/epoch 1 but its secret is missing/)
  })

  it('signs a ticket the server admits for that site and epoch', async () => {
    const key = await loadAuthorKey(memoryKeyStore())
    const url = await roomSignalUrl('ws://127.0.0.1:3000/_ps/yjs', 'blog', 3, key)
    const ticket = readRoomTicket(url)
    expect(ticket).toMatchObject({ site: 'blog', epoch: 3, key: key.publicKey })
    expect(await key.sign(roomProof('blog', 3))).toMatch(/^[\w-]{86}$/)
    expect(await admitRoomTicket(ticket!, async () => ({ epoch: 3, secret: SECRET }))).toMatchObject({ ok: true, access: { topic: 'peerserver:blog#3' } })
  })

  it('leaves the old room at once, before the new one is joined, and keeps this tab\'s awareness', async () => {
    const key = await loadAuthorKey(memoryKeyStore())
    const doc = new Y.Doc()
    const events: string[] = []
    const room = createSiteRoom({
      site: 'blog', doc, roomKey: ROOM_KEY, signalUrl: 'ws://127.0.0.1:3000/_ps/yjs', iceServers: [], key: async () => key,
      provide: (name, _doc, options) => {
        events.push(`join ${name} ${options.password === ROOM_KEY ? 'with the room key' : 'with a derived password'} via ${new URL(options.signaling[0] ?? '').searchParams.get('epoch')}`)
        return { disconnect: () => void events.push(`disconnect ${name}`), destroy: () => void events.push(`destroy ${name}`) }
      },
    })
    room.awareness.setLocalState({ user: { name: 'Ada', color: '#123456' } })
    await room.join({ epoch: 0 })
    const moving = room.join({ epoch: 1, secret: SECRET })
    // Synchronously: the old room is gone before anything else runs (the secrets rotate next).
    expect(events).toEqual(['join peerserver:blog with the room key via 0', 'disconnect peerserver:blog', 'destroy peerserver:blog'])
    expect(room.epoch()).toBe(1)
    await moving
    expect(events.at(-1)).toBe('join peerserver:blog#1 with a derived password via 1')
    expect(room.awareness.getLocalState()).toEqual({ user: { name: 'Ada', color: '#123456' } })
    await room.join({ epoch: 1, secret: SECRET })
    expect(events).toHaveLength(4)
    room.leave()
    expect(room.epoch()).toBeNull()
    expect(events.at(-1)).toBe('destroy peerserver:blog#1')
  })

  it('a join overtaken by a leave joins nothing', async () => {
    const key = await loadAuthorKey(memoryKeyStore())
    const joined: string[] = []
    const room = createSiteRoom({
      site: 'blog', doc: new Y.Doc(), roomKey: ROOM_KEY, signalUrl: 'ws://127.0.0.1:3000/_ps/yjs', iceServers: [], key: async () => key,
      provide: (name) => {
        joined.push(name)
        return { disconnect: () => {}, destroy: () => {} }
      },
    })
    const joining = room.join({ epoch: 0 })
    room.leave()
    await joining
    expect(joined).toEqual([])
  })
})
