import { useBackplane } from '../backplane/instance'
import { useServerLimits } from '../limits/instance'
import { createTaggedLog } from '../signaling/log'
import { createYjsRooms, type YjsRooms } from './rooms'

const log = createTaggedLog('yjs')
let rooms: YjsRooms | undefined

/** The process's Yjs room hub (the `/_ps/yjs` route's). */
export function useYjsRooms(): YjsRooms {
  rooms ??= createYjsRooms({ log, limits: useServerLimits(), backplane: useBackplane() })
  return rooms
}

/** The room signaling log, for the route's own lines. */
export const yjsLog = log
