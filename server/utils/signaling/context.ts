import type { ClientMessage, ClientMessageType, IceServer, ServerMessage } from '../../../shared/protocol/signal'
import type { Backplane } from '../backplane/types'
import type { SignalingGuards } from './guards'
import type { SiteRegistry } from './registry'
import type { PeerEntry, SignalingState } from './state'
import type { TurnConfig } from './turn'

/** A tagged logger (consola's, or console behind a prefix). */
export interface SignalingLog {
  info(message: string, ...args: unknown[]): void
  warn(message: string, ...args: unknown[]): void
  error(message: string, ...args: unknown[]): void
}

/** What every message handler may use. */
export interface HubContext {
  state: SignalingState
  registry: SiteRegistry
  iceServers: IceServer[]
  /** TURN to mint each session's credentials for; null: none. */
  turn: TurnConfig | null
  log: SignalingLog
  /** The limits, and what is counted against them. */
  guards: SignalingGuards
  /** The other instances (hosts there, sessions with their peers); a backplane of one without Redis. */
  backplane: Backplane
  /** The hub's clock, in ms since the epoch (challenge and invite expiry). */
  now(): number
  /** Send a message to a connected peer; a failed send is logged, never thrown. */
  send(peerId: string, message: ServerMessage): void
  /** An author key of `site` was removed: whatever else lets it in (the room signaling) must shut it out now. */
  authorRemoved(site: string, key: string, epoch: number): void
  /** Send a binary frame to a connected peer; a failed send is logged, never thrown. */
  sendBinary(peerId: string, bytes: Uint8Array): void
}

/** The client message of type `T`. */
export type ClientMessageOf<T extends ClientMessageType> = Extract<ClientMessage, { type: T }>

/** Handles one type of client message; `from` is who the connection says sent it. */
export type SignalHandler<T extends ClientMessageType> = (ctx: HubContext, from: PeerEntry, message: ClientMessageOf<T>) => void | Promise<void>
