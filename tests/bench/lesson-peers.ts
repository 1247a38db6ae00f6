// A process of Node visitors for the lesson bench, forked by lesson.ts from
// an esbuild bundle of this file (lib/ has extensionless imports plain Node
// cannot resolve). It runs inside the bench's loopback-only network
// namespace, so WebRTC (@roamhq/wrtc, no ICE servers) can only use 127.0.0.1.
// Config in an env variable; `ready`, `start`, `done`, then `expect` and
// `followed` once per save, and `stop` over IPC.
import wrtc from '@roamhq/wrtc'
import { WebSocket as NodeWebSocket } from 'ws'
import { LESSON_CONFIG_ENV, LessonConfigSchema, PeerCommandSchema, type PeerCommand, type PeerEvent } from './lesson-messages.ts'
import { runVisitor, type Visit } from './lesson-visitor.ts'
import { browserLikeCandidates } from './wrtc-candidates.ts'

const config = LessonConfigSchema.parse(JSON.parse(process.env[LESSON_CONFIG_ENV] ?? 'null'))

/** A WebSocket sending the Origin of the site's visitor shell, as the browser would. */
class ShellWebSocket extends NodeWebSocket {
  constructor(url: string | URL) {
    super(url, { origin: config.origin })
  }
}
// lib/peer and lib/tunnel use the browser's globals; give them Node's (offering candidates as a browser does: wrtc-candidates.ts).
Object.assign(globalThis, { WebSocket: ShellWebSocket, RTCPeerConnection: browserLikeCandidates(wrtc.RTCPeerConnection) })

const send = (event: PeerEvent) => process.send?.(event)
const visits: Visit[] = []

async function start(at: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, Math.max(0, at - Date.now())))
  const runs = await Promise.all(Array.from({ length: config.visitors }, (_, i) => runVisitor(config.first + i, config)))
  for (const { visit } of runs) if (visit) visits.push(visit)
  send({ type: 'done', reports: runs.map(run => run.report) })
}

/** Every connected visitor of this process waits for the save's reload and stylesheet; their records when all are in. */
async function follow({ save, css, marker, timeoutMs }: Extract<PeerCommand, { type: 'expect' }>): Promise<void> {
  const records = visits.map(visit => visit.live.expect(save, css, marker, timeoutMs))
  send({ type: 'expecting', save })
  send({ type: 'followed', records: await Promise.all(records) })
}

function stop(): void {
  for (const visit of visits.splice(0)) visit.close()
  // wrtc's native threads keep the process alive; give the data channels' goodbyes a moment to leave.
  setTimeout(() => process.exit(0), 200)
}

process.on('message', (message) => {
  const command = PeerCommandSchema.safeParse(message)
  if (!command.success) throw new Error(`bad command from the bench: ${JSON.stringify(message)}`)
  switch (command.data.type) {
    case 'start':
      void start(command.data.at)
      break
    case 'expect':
      void follow(command.data)
      break
    case 'stop':
      stop()
      break
    default: {
      const never: never = command.data
      throw new Error(`unknown command ${JSON.stringify(never)}`)
    }
  }
})
process.on('disconnect', stop)
send({ type: 'ready' })
