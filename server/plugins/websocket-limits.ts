import { MAX_SIGNAL_BYTES } from '../../shared/protocol/signal'
import { MAX_YJS_SIGNAL_BYTES } from '../../shared/protocol/yjs-signal'

/**
 * The largest WebSocket message `ws` takes in, for every socket route: the
 * protocols' own limit. Past it `ws` stops reading the frame and closes the
 * connection with 1009 (Message Too Big), so no frame over 64 KiB is ever
 * buffered (its default is 100 MiB: five 20 MiB frames grew the process by
 * 80 MB before the hub's own check ran).
 */
export const WEBSOCKET_MAX_PAYLOAD = Math.max(MAX_SIGNAL_BYTES, MAX_YJS_SIGNAL_BYTES)

/** The part of h3's app options crossws's Node adapter builds its `ws` server from. */
interface WebSocketServerOptionsHolder {
  websocket?: { serverOptions?: Record<string, unknown> }
}

// Nitro 2 has no setting for crossws's `serverOptions`, but its Node servers (node-server
// and the dev worker) call crossws/adapters/node with `nitroApp.h3App.websocket`, which h3
// builds from `h3App.options.websocket` on first read, after the plugins ran: set it here.
export default defineNitroPlugin((nitroApp) => {
  const options: WebSocketServerOptionsHolder = nitroApp.h3App.options
  options.websocket = { ...options.websocket, serverOptions: { ...options.websocket?.serverOptions, maxPayload: WEBSOCKET_MAX_PAYLOAD } }
})
