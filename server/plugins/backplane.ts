import redisDriver from 'unstorage/drivers/redis'
import { backplaneLog as log, redactRedisUrl, useBackplane } from '../utils/backplane/instance'
import { useSignalingHub } from '../utils/signaling/instance'
import { useYjsRooms } from '../utils/yjs-signaling/instance'

/** Where the `data` storage (names, author keys, invites, join codes) lives in Redis. */
const DATA_BASE = 'ps:data'

// With runtime config `redis.url` (NUXT_REDIS_URL), several instances behind
// one address act as one server: the registry's storage moves to Redis, the
// hub and the room signaling join the backplane at start (heartbeat and
// subscriptions), and a shutdown says goodbye. Without it nothing changes.
export default defineNitroPlugin((nitroApp) => {
  const url = useRuntimeConfig().redis.url
  if (!url) return
  const storage = useStorage()
  // Not disposed, so the call finishes at once: the embedded driver has nothing to close.
  void storage.unmount('data', false)
  storage.mount('data', redisDriver({ url, base: DATA_BASE }))
  const backplane = useBackplane()
  useSignalingHub()
  useYjsRooms()
  nitroApp.hooks.hook('close', async () => {
    await backplane.close().catch((error: unknown) => log.warn('could not say goodbye to the other instances', error))
  })
  log.info(`instance ${backplane.instance} shares ${redactRedisUrl(url)} with the others (storage under ${DATA_BASE}:)`)
})
