import type { ConnectionRoute } from '../peer/ice-route'

/** A visitor connected to the studio's site, as the visitors panel shows it. */
export interface VisitorInfo {
  /** The visitor's session id. */
  session: string
  /** When the visitor connected (ms since the epoch). */
  since: number
  /** How the visitor's tunnel reaches this tab (direct WebRTC, through TURN, or the server's relay); null while it connects. */
  route: ConnectionRoute | null
  /** Requests served to this visitor so far. */
  requests: number
  /** Path of the visitor's last request, or the page it is on (from its live channel). */
  lastPath?: string
  /** The name the visitor gave on joining a lesson. */
  name?: string
  /** The visitor's own id (kept by its browser), for removing it from a lesson. */
  id?: string
  /** The authors' own preview, leading the lesson. */
  leading?: boolean
}

/** The first characters of a session id: enough to tell visitors apart in a list. */
export function shortSession(session: string): string {
  return session.slice(0, 6)
}

/** How long ago `since` was, for people: "just now", "3 min", "1 h 5 min", "2 h" (clock skew counts as "just now"). */
export function formatSince(since: number, now: number): string {
  const minutes = Math.floor((now - since) / 60_000)
  if (!(minutes >= 1)) return 'just now'
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`
}

/** "1 visitor", "2 visitors", "0 visitors". */
export function countVisitors(count: number): string {
  return `${count} visitor${count === 1 ? '' : 's'}`
}

/** The visitors panel's words for a route, and what they mean. */
export const ROUTE_LABELS: Record<ConnectionRoute | 'connecting', { text: string, title: string }> = {
  connecting: { text: 'connecting', title: 'Its connection is being set up' },
  direct: { text: 'direct', title: 'Peer-to-peer WebRTC between its browser and this tab' },
  turn: { text: 'via TURN', title: 'WebRTC through a TURN server: no direct path between the two browsers' },
  relay: { text: 'relayed', title: 'Through the signaling server\'s WebSocket relay: WebRTC could not connect' },
}
