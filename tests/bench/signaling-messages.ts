import { z } from 'zod'

// What the signaling bench's processes say to each other: signaling.ts (in
// `npm run bench`) forks the runner (signaling-runner.ts, the clients), which
// forks one server process (signaling-server.ts) per measurement. Configs in
// environment variables, then IPC.

/** Env variable holding a server process's config as JSON. */
export const SERVER_CONFIG_ENV = 'PS_SIGNALING_SERVER_CONFIG'
/** Env variable holding the runner's config as JSON. */
export const RUNNER_CONFIG_ENV = 'PS_SIGNALING_RUNNER_CONFIG'

export const ServerConfigSchema = z.object({
  /** PeerServer's /_ps/signal, or a bare `ws` echo server (the baseline). */
  kind: z.enum(['peerserver', 'bare']),
  /** Runtime-config `limits` over the defaults (peerserver only). */
  limits: z.record(z.string(), z.number()).default({}),
})
export type ServerConfig = z.infer<typeof ServerConfigSchema>

const MemorySchema = z.object({
  rss: z.number(),
  heapUsed: z.number(),
  /** C++ objects and buffers bound to JS objects; includes arrayBuffers. */
  external: z.number(),
  arrayBuffers: z.number(),
})
export type Memory = z.infer<typeof MemorySchema>

export const ServerEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), port: z.number() }),
  MemorySchema.extend({ type: z.literal('measured') }),
  z.object({ type: z.literal('cpu'), cpuMicros: z.number() }),
])
export type ServerEvent = z.infer<typeof ServerEventSchema>

export const RunnerConfigSchema = z.object({
  serverBundle: z.string(),
  idleSockets: z.number().int().positive(),
  sessions: z.number().int().positive(),
  visitorsPerHost: z.number().int().positive(),
  /** The measured window of each throughput run. */
  throughputMs: z.number().positive(),
})
export type RunnerConfig = z.infer<typeof RunnerConfigSchema>

/** A server's memory before and after a load of `sockets` sockets, `opened` of which stayed open. */
const MemoryRunSchema = z.object({ sockets: z.number(), opened: z.number(), before: MemorySchema, after: MemorySchema })
export type MemoryRun = z.infer<typeof MemoryRunSchema>

/** Messages delivered in the measured window, and the server's CPU time over it. */
const ThroughputRunSchema = z.object({
  messages: z.number(),
  seconds: z.number(),
  serverCpuMicros: z.number(),
  /** Messages sent but not delivered by the end, or refused with an error (should be 0). */
  lost: z.number(),
})
export type ThroughputRun = z.infer<typeof ThroughputRunSchema>

const PairSchema = <T extends z.ZodTypeAny>(run: T) => z.object({ peerserver: run, bare: run })

export const SignalingFiguresSchema = z.object({
  /** The soft limit on open files the runner and its servers ran with, and why there are fewer sockets than asked (if so). */
  openFilesLimit: z.number(),
  /** The limits raised over the defaults for each measurement, by runtime-config name. */
  raised: z.record(z.string(), z.record(z.string(), z.number())),
  idle: PairSchema(MemoryRunSchema),
  sessions: PairSchema(MemoryRunSchema.extend({ sessions: z.number(), relayedBytes: z.number() })),
  /** Per frame size, the runs of each server in alternating rounds. */
  throughput: z.array(z.object({ frameBytes: z.number(), peerserver: z.array(ThroughputRunSchema), bare: z.array(ThroughputRunSchema) })),
})
export type SignalingFigures = z.infer<typeof SignalingFiguresSchema>

export const RunnerEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('done'), figures: SignalingFiguresSchema }),
  z.object({ type: z.literal('failed'), message: z.string() }),
])
export type RunnerEvent = z.infer<typeof RunnerEventSchema>
