import { limitsOverDefaults } from '../../shared/limits'
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_CONCURRENT_STREAMS, DEFAULT_MAX_CONNECTION_BODY_BYTES, DEFAULT_MAX_HOST_BODY_BYTES, DEFAULT_REQUEST_DEADLINE_MS } from '../tunnel/limits'
import { DEFAULT_MAX_CONCURRENT_RPC_CALLS, DEFAULT_MAX_RPC_CALLS_PER_REQUEST, DEFAULT_MAX_RPC_DOCUMENTS, DEFAULT_MAX_RPC_RESULT_BYTES, type RpcLimits } from '../worker/rpc-limits'
import { DEFAULT_MAX_PENDING_PEERS, DEFAULT_PENDING_PEER_DEADLINE_MS, type PeerLimits } from './visitor-peers'
import { DEFAULT_MAX_PEER_CHANNELS } from '../peer/rtc-session'
import type { HostOptions } from './host-session'

/**
 * The host tab's limits on its visitors, flat, as runtime config
 * `public.hostLimits` carries them (env `NUXT_PUBLIC_HOST_LIMITS_<NAME>`):
 * the tunnel's per connection and for the tab, peer connections, and the
 * work a request may cause on the studio's thread. The defaults are the
 * modules' own (README's limits table says what each bounds).
 */
export const DEFAULT_HOST_LIMITS = {
  maxConcurrentStreams: DEFAULT_MAX_CONCURRENT_STREAMS,
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  maxConnectionBodyBytes: DEFAULT_MAX_CONNECTION_BODY_BYTES,
  maxHostBodyBytes: DEFAULT_MAX_HOST_BODY_BYTES,
  requestDeadlineMs: DEFAULT_REQUEST_DEADLINE_MS,
  maxPendingPeers: DEFAULT_MAX_PENDING_PEERS,
  pendingPeerDeadlineMs: DEFAULT_PENDING_PEER_DEADLINE_MS,
  maxChannelsPerPeer: DEFAULT_MAX_PEER_CHANNELS,
  maxRpcCallsPerRequest: DEFAULT_MAX_RPC_CALLS_PER_REQUEST,
  maxConcurrentRpcCalls: DEFAULT_MAX_CONCURRENT_RPC_CALLS,
  maxRpcDocuments: DEFAULT_MAX_RPC_DOCUMENTS,
  maxRpcResultBytes: DEFAULT_MAX_RPC_RESULT_BYTES,
}
/** The host tab's limits, flat. */
export type HostLimits = typeof DEFAULT_HOST_LIMITS

/**
 * The configured limits: each positive number taken, anything else (a typo'd
 * env value, a negative) reported in `problems` and left at its default, so
 * a bad setting never leaves a tab without a limit.
 */
export function readHostLimits(value: unknown): { limits: HostLimits, problems: string[] } {
  const { limits, refused } = limitsOverDefaults(DEFAULT_HOST_LIMITS, value)
  const problems = refused.map(({ name, given }) => `hostLimits.${name} is ${JSON.stringify(given)}, not a positive number: the default ${DEFAULT_HOST_LIMITS[name]} applies`)
  return { limits, problems }
}

/** The limits as the host session and the worker server take them. */
export function hostLimitOptions(limits: HostLimits): { tunnel: NonNullable<HostOptions['tunnel']>, peers: PeerLimits, rpc: RpcLimits } {
  return {
    tunnel: {
      maxConcurrentStreams: limits.maxConcurrentStreams,
      maxBodyBytes: limits.maxBodyBytes,
      maxConnectionBodyBytes: limits.maxConnectionBodyBytes,
      maxHostBodyBytes: limits.maxHostBodyBytes,
      requestDeadlineMs: limits.requestDeadlineMs,
    },
    peers: { maxPendingPeers: limits.maxPendingPeers, pendingDeadlineMs: limits.pendingPeerDeadlineMs, maxChannelsPerPeer: limits.maxChannelsPerPeer },
    rpc: { maxCallsPerRequest: limits.maxRpcCallsPerRequest, maxConcurrentCalls: limits.maxConcurrentRpcCalls, maxDocuments: limits.maxRpcDocuments, maxResultBytes: limits.maxRpcResultBytes },
  }
}
