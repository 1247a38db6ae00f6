import { errorMessage } from '../../shared/error-message'
import { LESSON_PATH, type LessonEvent } from '../../shared/protocol/lesson'
import type { AuthorEntry, RoomState } from '../../shared/protocol/signal'
import { AUTHOR_NAME_KEY } from '../../shared/storage-keys'
import type { IceServers } from '../peer/rtc-session'
import type { SiteDoc } from '../site'
import { forgetAuthorship, keepAuthorRole, keepOwnerToken, ownerToken, type CredentialStorage } from '../studio/credentials'
import type { AuthorKey } from '../studio/author-key'
import type { VisitorInfo } from '../studio/visitors'
import { createDatabase, type Database } from '../vserver/db'
import { randomId } from '../vserver/crypto'
import { createWorkerServer, type WorkerLike } from '../worker/pool'
import { LessonHub } from '../lesson/hub'
import { reloadEvent, watchServedFiles } from '../lesson/reload'
import { systemClock, type Clock } from './clock'
import { startHosting, type HostOptions, type HostSession } from './host-session'
import { SignalingError } from '../peer/signaling-client'
import { VisitorRoster } from './roster'
import { VisitorCookies } from './visitor-cookies'
import { hostLimitOptions, readHostLimits } from './host-limits'
import type { RequestLogEntry } from './serve-tunnel'
import { workerLogNotes, workerWarningNote } from './worker-log'
import { Emitter } from './emitter'

/**
 * How long a removed visitor's "removed" event has to reach its shell before
 * its connection is closed: the event travels on the lesson channel, inside
 * the very connection that closing would cut.
 */
export const REMOVAL_GRACE_MS = 500

/**
 * How often request counts reach the visitors list: a page of 20 resources
 * is 20 requests in a burst, and serving must not wait on re-rendering the
 * list for each one. Arrivals and departures are told at once. Once a
 * second: with a class of visitors each re-render of the list is work the
 * serving thread does (the bench measured 13 % of a busy host's throughput
 * going to the log and this list).
 */
export const VISITOR_COUNTS_MS = 1000
/**
 * How often arrivals, departures and what lesson channels say (names,
 * pages) reach the visitors list when they come in a burst: one change is
 * told at once, the next within this. Each telling re-renders the whole
 * list, so a class of 100 opening the link together (three changes each
 * as it connects, one per page it opens) would otherwise cost the serving
 * thread work that grows with the square of the class (the lesson bench
 * at 100 visitors spent a quarter of the host's main thread on it).
 */
export const VISITOR_CHANGES_MS = 200

/** Where serving stands: registering, waiting for a co-author's copy, serving, refused (a taken name), cut off, or not serving at all (the studio did not open). */
export type HostStatus = 'starting' | 'syncing' | 'serving' | 'refused' | 'disconnected' | 'idle'

/** The host's state as the studio shows it. */
export interface HostState {
  status: HostStatus
  /** Why serving was refused, for the author. */
  problem: string
  /** The site's join code for a lesson, once registered. */
  code: string | null
}

/** A line of the host's request log: a served request, or a note for the author (handler output, errors). */
export type HostLogEntry = RequestLogEntry | { note: string }

/** What a host runtime tells the studio. */
export interface HostRuntimeEvents {
  state: HostState
  visitors: VisitorInfo[]
  log: HostLogEntry
  /** An event sent to every visitor's lesson channel (live reload). */
  lesson: LessonEvent
  /** The co-authors' room moved (an author was removed), or null: this browser was removed and leaves it. */
  room: RoomState | null
}

/** What a host runtime needs from its surroundings; all of it can be in memory. */
export interface HostRuntimeOptions {
  name: string
  site: SiteDoc
  /** The site's origin as visitors see it, whose cookies the host keeps (default `http://<name>.localhost`). */
  origin?: string
  /** The limits on visitors (runtime config `public.hostLimits`, flat; lib/host/host-limits.ts), defaults for what is not given. */
  limits?: unknown
  /** Holds the role and any legacy owner token (localStorage in the app). */
  storage: CredentialStorage
  /** This browser's author key, which registration proves (none: the legacy owner-token registration). */
  key?: () => Promise<AuthorKey>
  signalUrl: string
  iceServers: IceServers
  /** Starts a Web Worker running lib/worker/entry.ts (tests pass an in-process one). */
  createWorker: () => WorkerLike
  clock?: Clock
  /** Registers with signaling and serves visitors (default: WebRTC and the relay; tests pass an in-memory one). */
  host?: (options: HostOptions) => Promise<HostSession>
}

/** A site served from this tab: its database, its serving state, and its lesson. */
export interface HostRuntime {
  readonly db: Database
  state(): HostState
  visitors(): VisitorInfo[]
  /** Register the name with signaling and serve every visitor that arrives; resolves with the state reached. */
  start(): Promise<HostState>
  /** Remove a visitor from the lesson: told so, disconnected, and kept out (on every author's host). */
  removeVisitor(session: string): void
  /** The key that makes a preview lead the lesson. */
  leadKey(): string
  /** Mint an invite for a co-author (the owner only, while serving). */
  mintInvite(ttlSeconds?: number): Promise<{ code: string, expiresAt: number }>
  /** Revoke an invite: no new browser can enrol with it. */
  revokeInvite(code: string): Promise<void>
  /** The co-authors' room as the server last said (null before registering, or for a legacy registration). */
  room(): RoomState | null
  /** The site's authors (while serving). */
  authors(): Promise<AuthorEntry[]>
  /**
   * Remove an author (the owner only, while serving): the server forgets its
   * key and closes its tabs, the room moves to a new epoch (a `room` event,
   * so this tab leaves the old room first), then the session secret and the
   * lead key rotate.
   */
  removeAuthor(id: string): Promise<void>
  on<K extends keyof HostRuntimeEvents>(event: K, listener: (value: HostRuntimeEvents[K]) => void): () => void
  /** Stop serving: signaling closed, visitors cut, the worker stopped. */
  destroy(): void
}

/**
 * First wait before a host whose signaling connection closed (the server
 * restarted, its instance died, the network blinked) registers again: long
 * enough not to hammer a server that is coming up, short enough that
 * visitors are served again within a second or two.
 */
export const RECONNECT_MIN_MS = 500
/** Longest wait between two tries to register again; each failed try doubles the wait up to this. */
export const RECONNECT_MAX_MS = 15_000

/** Build the host runtime of one site (Vue-free: the studio's composable only adapts it). */
export function createHostRuntime(options: HostRuntimeOptions): HostRuntime {
  const { name, site } = options
  const clock = options.clock ?? systemClock
  const events = new Emitter<HostRuntimeEvents>()
  const roster = new VisitorRoster(() => clock.now())
  const db = createDatabase(site.documents)
  const configured = readHostLimits(options.limits)
  const limits = hostLimitOptions(configured.limits)
  let state: HostState = { status: 'starting', problem: '', code: null }
  let session: HostSession | null = null
  let room: RoomState | null = null
  let destroyed = false
  /** Registrations so far: a session's close counts only while it is the latest. */
  let attempts = 0
  let reconnectMs = RECONNECT_MIN_MS
  let reconnectTimer: unknown = null
  const setState = (next: Partial<HostState>) => {
    state = { ...state, ...next }
    events.emit('state', { ...state })
  }
  const log = (entry: HostLogEntry) => events.emit('log', entry)
  let countsDue: unknown = null
  let changeDue: unknown = null
  let toldAt = -Infinity
  const cancelTelling = () => {
    for (const due of [countsDue, changeDue]) if (due !== null) clock.clearTimeout(due)
    countsDue = changeDue = null
  }
  const tellVisitors = () => {
    cancelTelling()
    toldAt = clock.now()
    events.emit('visitors', roster.visitors())
  }
  const visitorsChanged = () => {
    if (changeDue !== null) return
    const wait = toldAt + VISITOR_CHANGES_MS - clock.now()
    if (wait <= 0) tellVisitors()
    else changeDue = clock.setTimeout(tellVisitors, wait)
  }
  const countsChanged = () => {
    countsDue ??= clock.setTimeout(tellVisitors, VISITOR_COUNTS_MS)
  }
  const leadKey = () => site.settings.leadKey(() => randomId(16))
  const sessionSecret = () => site.settings.sessionSecret(() => randomId(32))

  // Static files are answered here; routes run in a dedicated worker with a
  // time limit, so an endless loop cannot freeze this page. Files, database
  // and sessions stay on the page and outlive a replaced worker.
  const server = createWorkerServer({
    files: site.files,
    db,
    sessions: site.sessions,
    secret: sessionSecret(),
    timeoutMs: site.settings.timeLimitSeconds * 1000,
    createWorker: options.createWorker,
    rpc: limits.rpc,
    warn: (message, error) => log({ note: workerWarningNote(message, error) }),
    log: entry => workerLogNotes(entry).forEach(note => log({ note })),
  })
  const lesson = new LessonHub({
    leadKey,
    onLead: report => site.lesson.setLeader(report),
    isRemoved: id => site.lesson.isRemoved(id),
    now: () => clock.now(),
  })
  const cookies = new VisitorCookies({ site: name, origin: options.origin ?? `http://${name}.localhost`, jars: site.cookies, now: () => clock.now(), note: note => log({ note }) })
  const broadcast = (event: LessonEvent) => {
    lesson.broadcast(event)
    events.emit('lesson', event)
  }
  const stops = [
    site.settings.onChange((keys) => {
      server.setTimeoutMs(site.settings.timeLimitSeconds * 1000)
      // The origins handlers may reach are the sandbox's CSP, fixed when its worker starts.
      if (keys.includes('allowedOrigins')) server.replaceWorker('the origins handlers may reach changed')
      if (keys.includes('sessionSecret')) server.setSecret(sessionSecret(), 'the session secret rotated')
    }),
    site.lesson.onLeader(report => lesson.lead(report)),
    lesson.onChange(() => {
      roster.setLesson(lesson.visitors())
      visitorsChanged()
    }),
    watchServedFiles(site.files, (paths) => {
      if (site.settings.liveReload) broadcast(reloadEvent(paths))
    }),
  ]

  const hostOptions: HostOptions = {
    site: name,
    signalUrl: options.signalUrl,
    token: ownerToken(options.storage, name) ?? undefined,
    iceServers: options.iceServers,
    tunnel: limits.tunnel,
    peers: limits.peers,
    handle: async request => (request.visitor && (lesson.handle(request, request.visitor) || cookies.hello(request))) || cookies.serve(request, next => server.handle(next)),
    onLog: (entry) => {
      if (entry.url.startsWith(LESSON_PATH)) return
      log(entry)
      if (roster.countRequest(entry)) countsChanged()
    },
    onVisitors: (list) => {
      const present = new Set(list.map(visitor => visitor.session))
      for (const visitor of lesson.visitors()) if (!present.has(visitor.session)) lesson.forget(visitor.session)
      for (const session of roster.visitors().map(visitor => visitor.session)) if (!present.has(session)) cookies.forget(session)
      roster.setConnected(list)
      visitorsChanged()
    },
    onClose: () => {
      if (destroyed || state.status === 'refused') return
      setState({ status: 'disconnected' })
      scheduleReconnect()
    },
    onRoom: (next) => {
      room = next
      events.emit('room', next)
    },
    onRemoved: () => {
      // Nothing this browser holds lets it in any more: forget it, leave the room, stop serving.
      forgetAuthorship(options.storage, name)
      room = null
      events.emit('room', null)
      setState({ status: 'refused', problem: `The owner removed you from the authors of ${name}: this tab no longer serves or syncs it. Your copy stays in this browser.` })
      session?.stop()
    },
  }

  /**
   * Register again after the signaling connection closed, after a wait that
   * doubles with each failed try (RECONNECT_MIN_MS to RECONNECT_MAX_MS). The
   * old session's visitors are cut: their shells connect again by themselves.
   * A server that says no (the name, a removed key) ends the tries.
   */
  function scheduleReconnect(): void {
    if (destroyed || reconnectTimer !== null) return
    log({ note: `Lost the signaling server: registering again in ${reconnectMs} ms.` })
    reconnectTimer = clock.setTimeout(() => {
      reconnectTimer = null
      attempts++ // the old session's close, as it stops, is not news
      session?.stop()
      session = null
      void register(true).then((next) => {
        if (next.status === 'serving') reconnectMs = RECONNECT_MIN_MS
        else if (next.status === 'disconnected') {
          reconnectMs = Math.min(reconnectMs * 2, RECONNECT_MAX_MS)
          scheduleReconnect()
        }
      })
    }, reconnectMs)
  }

  async function start(): Promise<HostState> {
    for (const problem of configured.problems) log({ note: problem })
    return register(false)
  }

  async function register(again: boolean): Promise<HostState> {
    const attempt = ++attempts
    try {
      const key = options.key ? await options.key() : undefined
      const authorName = options.storage.getItem(AUTHOR_NAME_KEY) ?? undefined
      const onClose = (reason: string) => {
        if (attempt === attempts) hostOptions.onClose?.(reason)
      }
      const started = await (options.host ?? startHosting)({ ...hostOptions, onClose, key, name: authorName })
      if (destroyed) {
        started.stop()
        return { ...state }
      }
      session = started
      room = started.room
      if (started.role) keepAuthorRole(options.storage, name, started.role)
      else if (started.token) keepOwnerToken(options.storage, name, started.token)
      setState({ status: 'serving', code: started.code, problem: '' })
      if (again) log({ note: 'Registered again with the signaling server: serving.' })
    }
    catch (error) {
      // Trying again: only the server's own refusal is final; a server that cannot be reached yet is tried later.
      if (!destroyed) setState(again && !(error instanceof SignalingError) ? { status: 'disconnected' } : { status: 'refused', problem: errorMessage(error) })
    }
    return { ...state }
  }

  function removeVisitor(sessionId: string) {
    const visitor = lesson.visitors().find(candidate => candidate.session === sessionId)
    if (visitor) site.lesson.remove(visitor.id, visitor.name)
    lesson.remove(sessionId)
    clock.setTimeout(() => session?.disconnect(sessionId), REMOVAL_GRACE_MS)
  }

  const serving = (what: string): HostSession => {
    if (!session) throw new Error(`${what} while the site is served`)
    return session
  }

  async function removeAuthor(id: string): Promise<void> {
    await serving('authors are removed').removeAuthor(id)
    // The `room` event came first: this tab has left the old room, the removed author with it, before the secrets change.
    site.settings.rotateSecrets(() => randomId(32), () => randomId(16))
  }

  return {
    db,
    state: () => ({ ...state }),
    visitors: () => roster.visitors(),
    start,
    removeVisitor,
    leadKey,
    mintInvite: async ttlSeconds => serving('invites are made').mintInvite(ttlSeconds),
    revokeInvite: async code => serving('invites are revoked').revokeInvite(code),
    room: () => room,
    authors: async () => serving('the author list is read').authors(),
    removeAuthor,
    on: (event, listener) => events.on(event, listener),
    destroy() {
      if (destroyed) return
      destroyed = true
      cancelTelling()
      if (reconnectTimer !== null) clock.clearTimeout(reconnectTimer)
      for (const stop of stops) stop()
      cookies.destroy()
      session?.stop()
      server.destroy()
      events.clear()
    },
  }
}
