import { parseIceServers } from './config'
import { createSignalingHub, type SignalingHub } from './hub'
import { createTaggedLog } from './log'
import { createStorageSiteRegistry } from './registry'

const log = createTaggedLog('signal')
let hub: SignalingHub | undefined

/** The process's signaling hub (the WebSocket route and the site-name API share it). */
export function useSignalingHub(): SignalingHub {
  hub ??= createSignalingHub({
    registry: createStorageSiteRegistry(useStorage('data')),
    iceServers: parseIceServers(useRuntimeConfig().public.iceServers, log),
    log,
  })
  return hub
}

/** The signaling log, for the route's own lines. */
export const signalLog = log
