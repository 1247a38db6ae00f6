import type { ThroughputRun } from './signaling-messages.ts'
import { openHost, openParty, openVisitor, relayFrame, type Party } from './signaling-clients.ts'

// Relay frames pumped through a server as fast as it delivers them: each lane
// keeps `window` frames in flight (sent, not yet delivered), which keeps every
// socket's send buffer far under the server's slow-reader bound, and counts
// what arrives in the measured window.

/** Frames in flight per lane; the warm-up and the measured window; the server's CPU time so far. */
interface PumpOptions {
  window: number
  warmUpMs: number
  ms: number
  serverCpuMicros: () => Promise<number>
}

/** One way through the server: `send` one frame; `sink` is called per frame delivered. */
interface Lane {
  send(): void
  sink(delivered: () => void): void
  parties: Party[]
}

const sleep = (ms: number) => new Promise(done => setTimeout(done, ms))

/** Pump frames through `lanes`; messages delivered per the measured window, and frames lost (never delivered within 5 s, or refused). */
async function pump(lanes: Lane[], options: PumpOptions): Promise<ThroughputRun> {
  let running = true
  let counting = false
  let messages = 0
  const inFlight = lanes.map(() => 0)
  lanes.forEach((lane, i) => {
    const fill = () => {
      while (running && inFlight[i]! < options.window) {
        inFlight[i]!++
        lane.send()
      }
    }
    lane.sink(() => {
      inFlight[i]!--
      if (counting) messages++
      fill()
    })
    fill()
  })
  await sleep(options.warmUpMs)
  const cpuBefore = await options.serverCpuMicros()
  const startedAt = performance.now()
  counting = true
  await sleep(options.ms)
  counting = false
  const seconds = (performance.now() - startedAt) / 1000
  const serverCpuMicros = await options.serverCpuMicros() - cpuBefore
  running = false
  const deadline = Date.now() + 5000
  while (inFlight.some(n => n > 0) && Date.now() < deadline) await sleep(20)
  const refused = lanes.reduce((sum, lane) => sum + lane.parties.reduce((n, party) => n + party.errors.length, 0), 0)
  for (const lane of lanes) for (const party of lane.parties) party.ws.terminate()
  return { messages, seconds, serverCpuMicros, lost: inFlight.reduce((a, b) => a + b, 0) + refused }
}

/** PeerServer: `pairs` relayed sessions (sites named after `tag`), each visitor sending `frameBytes` relay frames to its host. */
export async function relayThroughput(url: string, tag: string, pairs: number, frameBytes: number, options: PumpOptions): Promise<ThroughputRun> {
  const lanes = await Promise.all(Array.from({ length: pairs }, async (_, i): Promise<Lane> => {
    const site = `bench-rate-${tag}-${i}`
    const host = await openHost(url, site)
    const { visitor, session } = await openVisitor(url, site)
    const frame = relayFrame(session, frameBytes)
    return { send: () => visitor.ws.send(frame), sink: delivered => host.onBinary(delivered), parties: [host, visitor] }
  }))
  return pump(lanes, options)
}

/** The bare echo server: `pairs` sockets, each sending the same frames and getting them back. */
export async function echoThroughput(url: string, pairs: number, frameBytes: number, options: PumpOptions): Promise<ThroughputRun> {
  const lanes = await Promise.all(Array.from({ length: pairs }, async (): Promise<Lane> => {
    const party = await openParty(url)
    const frame = relayFrame('AAAAAAAAAAAAAAAA', frameBytes)
    return { send: () => party.ws.send(frame), sink: delivered => party.onBinary(delivered), parties: [party] }
  }))
  return pump(lanes, options)
}
