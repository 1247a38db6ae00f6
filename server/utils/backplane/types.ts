// What the signaling hub and the room signaling need from the other Nitro
// instances that serve the same address: a message bus, a directory of who
// hosts which site where, word of an instance that died, and a lock. The
// in-process implementation (./memory.ts) is the default when no Redis is
// configured; ./redis.ts is the one for several instances.

/** A host tab on some instance, as the directory records it. */
export interface HostRecord {
  /** The instance whose WebSocket the tab is connected to. */
  instance: string
  /** The tab's peer id on that instance. */
  peer: string
  /** The author key it registered with (canonical); null for a legacy (token) host. */
  key: string | null
  /** Sessions it serves now, as its instance last wrote it. */
  load: number
}

/** Which host tabs of each site are connected to which instance. Each instance writes only its own tabs. */
export interface HostDirectory {
  /** Record that `peer` of this instance hosts `site` with `key`. */
  add(site: string, peer: string, key: string | null): Promise<void>
  /** Forget that `peer` of this instance hosts `site`. */
  remove(site: string, peer: string): Promise<void>
  /** How many sessions `peer` of this instance serves now. */
  setLoad(site: string, peer: string, load: number): Promise<void>
  /** The hosts of `site` on other live instances, earliest registered first (this instance's own are the caller's to know). */
  remote(site: string): Promise<HostRecord[]>
}

/** Runs `task` when no other task of the same key runs, in this process or another; the caller gets its result or error. */
export type Serialiser = <T>(key: string, task: () => Promise<T>) => Promise<T>

/** The link of one instance to the others. */
export interface Backplane {
  /** This instance's id, unique among the live ones. */
  readonly instance: string
  readonly hosts: HostDirectory
  /** Whether there may be other instances at all (false: the in-process default of one). */
  readonly shared: boolean
  /** Send `payload` to every instance subscribed to `channel`, this one included when it is; at most once, in order per sender. */
  publish(channel: string, payload: Uint8Array): void
  /** Hand what is published on `channel` to `handler` (one handler a channel; a second replaces the first). */
  subscribe(channel: string, handler: (payload: Uint8Array) => void): void
  unsubscribe(channel: string): void
  /** Call `handler` with the id of each other instance found dead (it stopped its heartbeat): its peers are gone. */
  onInstanceDown(handler: (instance: string) => void): void
  /** Call `handler` when this instance finds the others took it for dead (it missed its heartbeats) and it is back: its directory entries are gone and its peers' sessions with theirs were closed. */
  onRejoin(handler: () => void): void
  /** Serialise tasks on one key across every instance (the registry's writes to one site). */
  serialise: Serialiser
  /** Leave with a goodbye: the others learn at once that this instance's peers are gone. */
  close(): Promise<void>
}
