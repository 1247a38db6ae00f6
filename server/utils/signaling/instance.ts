import { useBackplane } from '../backplane/instance'
import { useServerLimits } from '../limits/instance'
import { useYjsRooms } from '../yjs-signaling/instance'
import { parseIceServers } from './config'
import { createSignalingHub, type SignalingHub } from './hub'
import { createTaggedLog } from './log'
import { createStorageSiteRegistry, type SiteRegistry } from './registry'
import { parseTurnConfig } from './turn'

const log = createTaggedLog('signal')
let registry: SiteRegistry | undefined
let hub: SignalingHub | undefined

/** The process's site registry (the signaling hub's, and the room signaling's tickets). */
export function useSignalingRegistry(): SiteRegistry {
  // With Redis, one operation on a site at a time across every instance (the backplane's lock).
  registry ??= createStorageSiteRegistry(useStorage('data'), { expiryMs: useServerLimits().siteExpiryDays * 24 * 3600_000, serialise: useBackplane().serialise })
  return registry
}

/** The process's signaling hub (the WebSocket route and the site-name API share it). */
export function useSignalingHub(): SignalingHub {
  hub ??= createSignalingHub({
    registry: useSignalingRegistry(),
    iceServers: parseIceServers(useRuntimeConfig().public.iceServers, log),
    // Server-only config: the secret never reaches a page, only credentials minted with it.
    turn: parseTurnConfig(useRuntimeConfig().turn, log),
    log,
    limits: useServerLimits(),
    backplane: useBackplane(),
    // A removed author's room connections close with the room's old epoch (every instance's hub calls this).
    onAuthorRemoved: (site, _key, epoch) => {
      const closed = useYjsRooms().evict(site, epoch)
      log.info(`closed ${closed} room signaling connection(s) of ${site} before epoch ${epoch}`)
    },
  })
  return hub
}

/** The signaling log, for the route's own lines. */
export const signalLog = log
