import { WebrtcProvider } from 'y-webrtc'
import { Awareness, removeAwarenessStates } from 'y-protocols/awareness'
import type * as Y from 'yjs'
import { roomProof, type RoomState } from '../../shared/protocol/signal'
import { siteRoomName } from '../../shared/protocol/yjs-signal'
import { chunkingWrtc, dropEchoes } from '../peer/chunked-channel'
import { base64UrlDecode, base64UrlEncode } from '../vserver/crypto'
import type { AuthorKey } from './author-key'

/**
 * The password of the co-authors' room of `site` at `room`'s epoch (y-webrtc
 * derives its encryption key from it). Epoch 0 is the room key itself; after
 * a removal, HKDF-SHA-256 of the room key with the epoch's secret as salt.
 * Neither half alone gives it: a removed author has the room key but never
 * the new secret; the server has the secret but never the room key.
 */
export async function roomPassword(roomKey: string, site: string, room: RoomState, subtle: SubtleCrypto = crypto.subtle): Promise<string> {
  if (room.epoch === 0) return roomKey
  const salt = room.secret === undefined ? null : base64UrlDecode(room.secret)
  if (salt === null) throw new Error(`the room of ${site} is at epoch ${room.epoch} but its secret is missing or damaged`)
  const material = await subtle.importKey('raw', new TextEncoder().encode(roomKey), 'HKDF', false, ['deriveBits'])
  const info = new TextEncoder().encode(`peerserver room password ${site} ${room.epoch}`)
  return base64UrlEncode(new Uint8Array(await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, material, 256)))
}

/** The room signaling URL of `site` at `epoch` with this author's ticket: its key and signature of roomProof (ROOM_TICKET_PARAMS). */
export async function roomSignalUrl(signalUrl: string, site: string, epoch: number, key: AuthorKey): Promise<string> {
  const url = new URL(signalUrl)
  const sig = await key.sign(roomProof(site, epoch))
  for (const [name, value] of Object.entries({ site, epoch: String(epoch), key: key.publicKey, sig })) url.searchParams.set(name, value)
  return url.toString()
}

/** What a provider of one epoch's room is given. */
export interface RoomProviderOptions {
  signaling: string[]
  password: string
  awareness: Awareness
}

/** What joining the co-authors' room needs. */
export interface SiteRoomOptions {
  site: string
  doc: Y.Doc
  /** The room key this browser holds (from creating the site, or the invite). */
  roomKey: string
  /** The room signaling endpoint (`/_ps/yjs`, as a ws: URL). */
  signalUrl: string
  iceServers: RTCIceServer[]
  /** This browser's author key, which signs the room ticket. */
  key: () => Promise<AuthorKey>
  /** Makes the provider (tests pass their own; the default is y-webrtc's, over chunked channels). */
  provide?: (name: string, doc: Y.Doc, options: RoomProviderOptions) => Pick<WebrtcProvider, 'destroy' | 'disconnect'>
}

/** The co-authors' room of a site: one awareness for the page's life, a provider per epoch. */
export interface SiteRoom {
  readonly awareness: Awareness
  /** The epoch joined (or being joined), or null while out of the room. */
  epoch(): number | null
  /** Move to `room` (the first join, or a new epoch after a removal): the old room is left at once, before anything else happens. */
  join(room: RoomState): Promise<void>
  /** Leave the room: every connection to a co-author closes now. */
  leave(): void
  destroy(): void
}

/**
 * Join the co-authors of a site: the document syncs with every other
 * author's tab through y-webrtc, introduced by our room signaling with this
 * author's ticket, the content encrypted with the room's password, which the
 * server never sees.
 */
export function createSiteRoom(options: SiteRoomOptions): SiteRoom {
  const awareness = new Awareness(options.doc)
  const provide = options.provide ?? ((name, doc, opts) => {
    const provider = new WebrtcProvider(name, doc, {
      ...opts,
      // Chunked channels: a whole site's state in one message is past Chromium's 256 KiB limit.
      peerOpts: { config: { iceServers: options.iceServers }, wrtc: chunkingWrtc() },
    })
    // Registered now, before the room y-webrtc opens once its key is derived, so it hears each update before y-webrtc sends it.
    const stop = dropEchoes(doc, () => provider.room)
    return {
      disconnect: () => provider.disconnect(),
      destroy: () => {
        stop()
        provider.destroy()
      },
    }
  })
  let provider: Pick<WebrtcProvider, 'destroy' | 'disconnect'> | null = null
  let joined: number | null = null
  // Each join or leave bumps it: a join that resolves after a later one gives up.
  let generation = 0

  const leave = () => {
    generation++
    joined = null
    // disconnect first: y-webrtc's destroy alone leaves the signaling socket open, retrying a ticket that no longer opens anything.
    provider?.disconnect()
    provider?.destroy()
    provider = null
    // The co-authors of the room left are no one's company any more (y-webrtc would keep them until they time out).
    const others = [...awareness.getStates().keys()].filter(id => id !== awareness.clientID)
    removeAwarenessStates(awareness, others, 'left the room')
  }

  return {
    awareness,
    epoch: () => joined,
    async join(room) {
      if (joined === room.epoch) return
      // Leaving removes this tab's own state (y-webrtc says goodbye): it comes back in the new room.
      const local = awareness.getLocalState()
      leave()
      const mine = generation
      joined = room.epoch
      const [password, url] = await Promise.all([
        roomPassword(options.roomKey, options.site, room),
        options.key().then(key => roomSignalUrl(options.signalUrl, options.site, room.epoch, key)),
      ])
      if (mine !== generation) return
      provider = provide(siteRoomName(options.site, room.epoch), options.doc, {
        signaling: [url],
        password,
        awareness,
      })
      if (local !== null && awareness.getLocalState() === null) awareness.setLocalState(local)
    },
    leave,
    destroy() {
      leave()
      awareness.destroy()
    },
  }
}
