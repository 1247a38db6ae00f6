import { fork, type ChildProcess } from 'node:child_process'
import { LESSON_CONFIG_ENV, PeerEventSchema, type FollowRecord, type LessonConfig, type PeerCommand, type PeerEvent, type VisitorReport } from './lesson-messages.ts'

// The lesson bench's peer processes (lesson-peers.ts), seen from the bench:
// start them, have their visitors load the pages, follow saves, stop them.

/**
 * A forked peer process: its next event (kept until asked for; rejects if the
 * process exits first or says something else), and commands to it. One
 * `next` at a time.
 */
function peerProcess(bundle: string, config: LessonConfig) {
  const child: ChildProcess = fork(bundle, [], { env: { ...process.env, [LESSON_CONFIG_ENV]: JSON.stringify(config) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const inbox: Array<PeerEvent | Error> = []
  let exited: Error | null = null
  let wake = () => {}
  child.on('message', (message: unknown) => {
    const event = PeerEventSchema.safeParse(message)
    inbox.push(event.success ? event.data : new Error(`bad event from a peer process: ${JSON.stringify(message).slice(0, 200)}`))
    wake()
  })
  child.on('exit', (code) => {
    exited = new Error(`a peer process exited (${code})`)
    wake()
  })
  const next = async <T extends PeerEvent['type']>(type: T): Promise<Extract<PeerEvent, { type: T }>> => {
    while (inbox.length === 0) {
      if (exited) throw new Error(`${exited.message} before '${type}'`)
      await new Promise<void>((resolve) => {
        wake = resolve
      })
    }
    const event = inbox.shift()
    if (!event || event instanceof Error) throw event ?? new Error('no event')
    if (!isType(event, type)) throw new Error(`a peer process said '${event.type}' where '${type}' was due`)
    return event
  }
  const command = (message: PeerCommand) => child.connected && child.send(message)
  return { child, next, command }
}

function isType<T extends PeerEvent['type']>(event: PeerEvent, type: T): event is Extract<PeerEvent, { type: T }> {
  return event.type === type
}

export type PeerProcess = ReturnType<typeof peerProcess>

/** `promise`, or a rejection saying what did not happen in `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what} in ${ms / 1000} s`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  }
  finally {
    clearTimeout(timer)
  }
}

/** Ask each process to hang up and exit; killed if it has not after 5 s. */
export async function stopAll(peers: PeerProcess[]): Promise<void> {
  await Promise.all(peers.map(({ child, command }) => new Promise<void>((done) => {
    if (child.exitCode !== null) return done()
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000)
    child.once('exit', () => {
      clearTimeout(kill)
      done()
    })
    if (!command({ type: 'stop' })) child.kill('SIGKILL')
  })))
}

/**
 * Run `visitors` Node visitors over `processes` processes, all starting at
 * once; their reports, and the processes, whose visitors stay connected
 * until `stopAll`. Throws (having stopped them) after `timeoutMs`.
 */
export async function loadVisitors(bundle: string, base: Omit<LessonConfig, 'first' | 'visitors'>, visitors: number, processes: number, timeoutMs: number): Promise<{ peers: PeerProcess[], reports: VisitorReport[] }> {
  const peers = Array.from({ length: processes }, (_, p) => {
    const first = Math.floor(visitors * p / processes)
    return peerProcess(bundle, { ...base, first, visitors: Math.floor(visitors * (p + 1) / processes) - first })
  })
  try {
    const late = `the lesson bench's ${visitors} visitor(s) did not finish`
    await within(Promise.all(peers.map(peer => peer.next('ready'))), timeoutMs, late)
    const done = Promise.all(peers.map(peer => peer.next('done')))
    // Every process starts its visitors at the same epoch ms.
    const at = Date.now() + 300
    for (const peer of peers) peer.command({ type: 'start', at })
    const events = await within(done, timeoutMs, late)
    return { peers, reports: events.flatMap(event => event.reports) }
  }
  catch (error) {
    await stopAll(peers)
    throw error
  }
}

/**
 * Tell every visitor that save `save` will put `marker` in `css`, run `edit`
 * (which saves), and return its result with every visitor's record of the
 * save, once all have one (each gives up after `timeoutMs`).
 */
export async function followSave<T>(peers: PeerProcess[], save: number, css: string, marker: string, timeoutMs: number, edit: () => Promise<T>): Promise<{ result: T, records: FollowRecord[] }> {
  for (const peer of peers) peer.command({ type: 'expect', save, css, marker, timeoutMs })
  await within(Promise.all(peers.map(peer => peer.next('expecting'))), 5_000, 'the peer processes did not take the save')
  const followed = within(Promise.all(peers.map(peer => peer.next('followed'))), timeoutMs + 5_000, `save ${save} was not followed`)
  const [result, events] = await Promise.all([edit(), followed])
  return { result, records: events.flatMap(event => event.records) }
}
