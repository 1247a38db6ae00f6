// The server's limits on hostile clients, and their defaults (issue 12). Each
// is a runtime-config setting under `limits` (nuxt.config.ts; env
// NUXT_LIMITS_<NAME>), read by ./config.ts. No imports here: nuxt.config.ts
// imports this file to declare the settings.
//
// The defaults fit a class of 30–100 students behind ONE school NAT address,
// so whatever is counted per client address must hold a whole class at once:
// per address means per school, not per person.

const KiB = 1024
const MiB = 1024 * KiB
const GiB = 1024 * MiB

/**
 * Live visit sessions one signaling socket may have opened as the visitor.
 * A visitor shell opens one per visit and another on failover; 16 leaves room
 * for retries while one socket can no longer make a host build thousands of
 * peer connections.
 */
export const MAX_VISITS_PER_SOCKET = 16

/**
 * Messages per second a signaling socket may send, sustained (a token
 * bucket's refill), and its burst. A teacher's host tab answers a whole class
 * arriving at once: per visitor an answer and a dozen ICE candidates, so 100
 * visitors in a few seconds are some 1,300 messages. Relay frames are metered
 * by bytes instead (RELAY_BYTES_PER_SECOND).
 */
export const SIGNAL_MESSAGES_PER_SECOND = 200
/** The signaling message bucket's size: messages a socket may send at once. */
export const SIGNAL_MESSAGE_BURST = 2000

/**
 * WebSocket connections at once from one client address, for each of
 * /_ps/signal and /_ps/yjs. A class behind one NAT: 100 students, each with a
 * studio (one socket of each kind) and a few visitor tabs of classmates'
 * sites, is some 500 signaling sockets; 1,000 leaves room for a second class.
 */
export const MAX_CONNECTIONS_PER_ADDRESS = 1000

/**
 * Bytes a signaling socket may have waiting to be sent (its bufferedAmount)
 * before the server drops it as a slow reader. Four full relay frames queued
 * for each of 16 relayed sessions fit.
 */
export const MAX_SIGNAL_BUFFERED_BYTES = 4 * MiB

/**
 * Relay bytes per second per session in each direction (the host's frames
 * and the visitor's each have a bucket), and the burst. A relayed page of a
 * few megabytes loads at once; a relayed visitor can no longer use the
 * server as an unmetered tunnel. Both parties are told these in `visiting`
 * and `visitor`, and pace their relay frames below them.
 */
export const RELAY_BYTES_PER_SECOND = 2 * MiB
/** The relay bucket's size per session and direction, in bytes. */
export const RELAY_BURST_BYTES = 16 * MiB
/**
 * Relay bytes per site per UTC day. A class of 100 all relayed (UDP blocked
 * at the school) loading 40 MB each is 4 GB; the relay is the fallback, so
 * past it the site's visitors still reach it peer to peer.
 */
export const RELAY_BYTES_PER_SITE_PER_DAY = 8 * GiB

/**
 * New site names one client address may claim per hour. A lesson where 100
 * students each start two or three sites from the gallery is 300.
 */
export const NEW_SITES_PER_ADDRESS_PER_HOUR = 300

/**
 * Days after which a name that no tab hosted is free again. Longer than a
 * summer break plus a term, so no student loses a name between lessons.
 */
export const SITE_EXPIRY_DAYS = 180

/**
 * Connections subscribed to one Yjs topic (one site's co-authors' room). A
 * class of 100 co-editing one site, each with two tabs open, is 200.
 */
export const MAX_YJS_SUBSCRIBERS_PER_TOPIC = 250

/**
 * Messages (publishes, mostly) per second per /_ps/yjs connection, and the
 * burst. y-webrtc publishes every SDP and ICE message to the whole room: a
 * tab joining a room of 100 connects to up to 35 peers, some 400 publishes.
 */
export const YJS_MESSAGES_PER_SECOND = 50
/** The Yjs message bucket's size per connection. */
export const YJS_MESSAGE_BURST = 500

/**
 * Bytes a /_ps/yjs connection may have waiting to be sent before the server
 * drops it as a slow reader: 4 of the largest messages. y-webrtc reconnects
 * a cut connection and loses nothing (the document travels peer to peer);
 * the 250 subscribers of a topic hold at most some 80 MiB (each may pass
 * the bound by one message before it is cut).
 */
export const MAX_YJS_BUFFERED_BYTES = 4 * 64 * KiB

/**
 * `GET /api/join/<code>` per client address: a bucket of 300 (a class typing
 * the lesson's code at once, with typos), refilled 2 a second. Sweeping the
 * 34 million codes from one address would take half a year.
 */
export const JOIN_LOOKUPS_PER_SECOND = 2
/** The join code lookup bucket's size per client address. */
export const JOIN_LOOKUP_BURST = 300
/**
 * `GET /api/sites/<name>` per client address: the landing page checks a name
 * as a student types it (a dozen lookups each), so 100 students at once is
 * 1,200.
 */
export const NAME_LOOKUPS_PER_SECOND = 20
/** The name lookup bucket's size per client address. */
export const NAME_LOOKUP_BURST = 1500

/** Every limit a deployment may change, by runtime-config name under `limits`. */
export const DEFAULT_SERVER_LIMITS = {
  maxVisitsPerSocket: MAX_VISITS_PER_SOCKET,
  signalMessagesPerSecond: SIGNAL_MESSAGES_PER_SECOND,
  signalMessageBurst: SIGNAL_MESSAGE_BURST,
  maxConnectionsPerAddress: MAX_CONNECTIONS_PER_ADDRESS,
  maxSignalBufferedBytes: MAX_SIGNAL_BUFFERED_BYTES,
  relayBytesPerSecond: RELAY_BYTES_PER_SECOND,
  relayBurstBytes: RELAY_BURST_BYTES,
  relayBytesPerSitePerDay: RELAY_BYTES_PER_SITE_PER_DAY,
  newSitesPerAddressPerHour: NEW_SITES_PER_ADDRESS_PER_HOUR,
  siteExpiryDays: SITE_EXPIRY_DAYS,
  maxYjsSubscribersPerTopic: MAX_YJS_SUBSCRIBERS_PER_TOPIC,
  yjsMessagesPerSecond: YJS_MESSAGES_PER_SECOND,
  yjsMessageBurst: YJS_MESSAGE_BURST,
  maxYjsBufferedBytes: MAX_YJS_BUFFERED_BYTES,
  joinLookupsPerSecond: JOIN_LOOKUPS_PER_SECOND,
  joinLookupBurst: JOIN_LOOKUP_BURST,
  nameLookupsPerSecond: NAME_LOOKUPS_PER_SECOND,
  nameLookupBurst: NAME_LOOKUP_BURST,
}

/** The server's limits. */
export type ServerLimits = typeof DEFAULT_SERVER_LIMITS
