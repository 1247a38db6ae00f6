// The y-webrtc side of y-webrtc.test.ts, run by plain Node (outside Vite)
// inside a loopback-only network namespace (scripts/in-netns.mjs), so WebRTC
// can only ever use 127.0.0.1. The test's signaling server stays outside, on a
// Unix socket (a path in the file system is reachable across network
// namespaces); this process forwards a TCP port on the namespace's 127.0.0.1
// to it, and forks one process per y-webrtc provider on command. It talks to
// the test in JSON lines: events on stdout, commands on stdin.
import { fork } from 'node:child_process'
import { connect, createServer } from 'node:net'
import { networkInterfaces } from 'node:os'
import { createInterface } from 'node:readline'

const [socketPath, room, password] = process.argv.slice(2)
const emit = event => process.stdout.write(`${JSON.stringify(event)}\n`)

function skipReason() {
  const exposed = Object.entries(networkInterfaces())
    .flatMap(([name, addresses]) => (addresses ?? []).filter(address => !address.internal).map(address => `${name} ${address.address}`))
  if (exposed.length > 0) {
    return `not in a loopback-only network namespace (scripts/in-netns.mjs could not make one here; this host has ${exposed.join(', ')}): WebRTC would use the host's network`
  }
  return null
}

async function wrtcProblem() {
  try {
    await import('@roamhq/wrtc')
    return null
  }
  catch (error) {
    return `no WebRTC implementation for Node: @roamhq/wrtc does not load (${error instanceof Error ? error.message : String(error)})`
  }
}

const reason = skipReason() ?? await wrtcProblem()
if (reason) {
  emit({ type: 'skip', reason })
  process.exit(0)
}

const bridge = createServer((client) => {
  const upstream = connect(socketPath)
  const drop = () => {
    client.destroy()
    upstream.destroy()
  }
  for (const socket of [client, upstream]) {
    socket.on('error', drop)
    socket.on('close', drop)
  }
  client.pipe(upstream).pipe(client)
})

const peers = new Map()
function spawnPeer(name, url) {
  // Each provider in its own process: y-webrtc keeps its rooms in module state
  // (one room of a name per process) and syncs same-process providers over
  // BroadcastChannel, which would bypass WebRTC and the signaling server.
  const child = fork(new URL('./yjs-peer.mjs', import.meta.url), [url, room, password], { stdio: ['ignore', 2, 2, 'ipc'] })
  child.on('message', event => emit({ ...event, peer: name }))
  child.on('exit', (code, signal) => {
    peers.delete(name)
    emit({ type: 'exit', peer: name, code, signal })
    if (stopping && peers.size === 0) process.exit(0)
  })
  peers.set(name, child)
}

let stopping = false
function stop() {
  stopping = true
  bridge.close()
  if (peers.size === 0) process.exit(0)
  for (const child of peers.values()) child.send({ type: 'stop' })
  setTimeout(() => {
    for (const child of peers.values()) child.kill('SIGKILL')
    process.exit(0)
  }, 5000).unref()
}

bridge.listen(0, '127.0.0.1', () => {
  const url = `ws://127.0.0.1:${bridge.address().port}`
  emit({ type: 'started', url })
  const lines = createInterface({ input: process.stdin })
  lines.on('line', (line) => {
    const command = JSON.parse(line)
    if (command.type === 'spawn') spawnPeer(command.peer, url)
    else if (command.type === 'stop') stop()
    else peers.get(command.peer)?.send(command)
  })
  // The test went away: leave nothing running.
  lines.on('close', stop)
})
