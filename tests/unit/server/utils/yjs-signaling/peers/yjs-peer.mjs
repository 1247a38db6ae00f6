// One unmodified y-webrtc provider with its own Y.Doc, in its own process
// (forked by netns-peers.mjs): reports to its parent over IPC and takes
// commands from it.
import wrtc from '@roamhq/wrtc'
import { WebrtcProvider } from 'y-webrtc'
import * as Y from 'yjs'

const [url, room, password] = process.argv.slice(2)
const report = event => process.send?.(event)

const doc = new Y.Doc()
const text = doc.getText('page')
const provider = new WebrtcProvider(room, doc, {
  signaling: [url],
  password,
  // No STUN or TURN: host candidates only, and the namespace has only loopback.
  peerOpts: { wrtc, config: { iceServers: [] } },
})
const [signaling] = provider.signalingConns
signaling.on('connect', () => report({ type: 'signaling-connected' }))
// y-webrtc itself ignores message types it does not know; this listener only shows the test what came.
signaling.on('message', (message) => {
  if (message?.type === 'error') report({ type: 'server-error', code: message.code })
})
provider.on('peers', ({ webrtcPeers, bcPeers }) => report({ type: 'peers', webrtcPeers: webrtcPeers.length, bcPeers: bcPeers.length }))
text.observe(() => report({ type: 'text', text: text.toString() }))

let stopped = false
function stop() {
  if (stopped) return
  stopped = true
  provider.destroy()
  doc.destroy()
  // wrtc's native threads may keep the process alive; give the goodbyes a moment to leave.
  setTimeout(() => process.exit(0), 300)
}

process.on('message', (command) => {
  switch (command.type) {
    case 'insert':
      text.insert(text.length, command.text)
      break
    case 'poke':
      // Messages our server refuses, sent on y-webrtc's own signaling connection.
      signaling.send({ type: 'no-such-type' })
      signaling.send({ type: 'publish', topic: room, data: 42 })
      signaling.send({ type: 'subscribe', topics: ['x'.repeat(201)] })
      break
    case 'stop':
      stop()
      break
  }
})
process.on('disconnect', stop)
