import { MAX_YJS_TOPICS_PER_CONNECTION } from '../../../shared/protocol/yjs-signal'
import { MAX_YJS_SUBSCRIBERS_PER_TOPIC } from '../limits/defaults'
import type { TokenBucket } from '../limits/token-bucket'

/** One WebSocket connection as the room hub sees it; the route adapts crossws peers to this. */
export interface YjsPeer {
  id: string
  send(text: string): void
  /** Close the connection (the hub shuts out a removed author's). */
  close?(code?: number, reason?: string): void
  /** The client's address (connections are counted per address); '' or absent when unknown. */
  address?: string
  /** Bytes queued to send and not yet written out (the WebSocket's bufferedAmount). */
  bufferedAmount?(): number
  /** Cut the connection at once, dropping whatever is queued (a slow reader). */
  terminate?(): void
}

/** What a connection's ticket lets it into: one site's room (its topic) at one epoch, as one author key. */
export interface RoomAccess {
  site: string
  epoch: number
  key: string
  topic: string
}

/** A connected peer, the topics it is subscribed to, and the room its ticket is for (null: any topic, for hubs without tickets). */
export interface YjsPeerEntry {
  peer: YjsPeer
  topics: Set<string>
  access: RoomAccess | null
  /** The client's address, as counted for MAX_CONNECTIONS_PER_ADDRESS. */
  address: string
  /** Messages it may still send now (YJS_MESSAGES_PER_SECOND). */
  messages: TokenBucket
  /** When it was last told `rate-limited` (ms). */
  limitedAt: number
  /** Cut as a slow reader: nothing more is sent to it. */
  dropped: boolean
}

/** Why a subscribe changed nothing. */
export type SubscribeRefusal = 'too-many-topics' | 'too-many-subscribers'

/** The room hub's tables: peers, and the subscribers of each topic. No I/O. */
export class YjsRoomState {
  readonly peers = new Map<string, YjsPeerEntry>()
  private readonly topics = new Map<string, Set<string>>()
  /** Called with each entry `remove` forgets. */
  onRemove?: (entry: YjsPeerEntry) => void
  /** Called when a topic gets its first subscriber here, and when it loses its last (the backplane's subscriptions follow). */
  onTopic?: (topic: string, open: boolean) => void

  /**
   * Subscribe `entry` to `topics`, all or none: a refusal (nothing changed)
   * when the connection would pass MAX_YJS_TOPICS_PER_CONNECTION, or a topic
   * `maxSubscribers`. Topics it is already in don't count twice (y-webrtc
   * re-subscribes often).
   */
  subscribe(entry: YjsPeerEntry, topics: readonly string[], maxSubscribers = MAX_YJS_SUBSCRIBERS_PER_TOPIC): SubscribeRefusal | null {
    const fresh = new Set(topics.filter(topic => !entry.topics.has(topic)))
    if (entry.topics.size + fresh.size > MAX_YJS_TOPICS_PER_CONNECTION) return 'too-many-topics'
    for (const topic of fresh) {
      if ((this.topics.get(topic)?.size ?? 0) >= maxSubscribers) return 'too-many-subscribers'
    }
    for (const topic of fresh) {
      entry.topics.add(topic)
      const set = this.topics.get(topic) ?? new Set<string>()
      set.add(entry.peer.id)
      if (set.size === 1) {
        this.topics.set(topic, set)
        this.onTopic?.(topic, true)
      }
    }
    return null
  }

  /** Unsubscribe `entry` from `topics`; topics it is not in are ignored. */
  unsubscribe(entry: YjsPeerEntry, topics: Iterable<string>): void {
    for (const topic of [...topics]) {
      if (!entry.topics.delete(topic)) continue
      const set = this.topics.get(topic)
      set?.delete(entry.peer.id)
      if (set?.size === 0) {
        this.topics.delete(topic)
        this.onTopic?.(topic, false)
      }
    }
  }

  /** The ids of the connections subscribed to `topic`. */
  subscribers(topic: string): ReadonlySet<string> {
    return this.topics.get(topic) ?? new Set()
  }

  /** Forget a peer and all its subscriptions. */
  remove(peerId: string): void {
    const entry = this.peers.get(peerId)
    if (!entry) return
    this.unsubscribe(entry, entry.topics)
    this.peers.delete(peerId)
    this.onRemove?.(entry)
  }

  /** Live counts, for logs and tests. */
  stats(): { peers: number, topics: number, subscriptions: number } {
    let subscriptions = 0
    for (const set of this.topics.values()) subscriptions += set.size
    return { peers: this.peers.size, topics: this.topics.size, subscriptions }
  }
}
