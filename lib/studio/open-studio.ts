import { errorMessage } from '../../shared/error-message'
import type { RoomState } from '../../shared/protocol/signal'
import type { HostRuntime } from '../host/runtime'
import { SignalingError } from '../peer/signaling-client'
import { importSiteZip, type SiteDoc } from '../site'
import type { PersistedSite } from '../site/persisted'
import type { FileStore } from '../vserver/files'
import { acceptInvite, ownsSite, roomKey, type CredentialStorage } from './credentials'
import { InviteError, isInviteHash, parseInvite, type Invite } from './invite'
import { recordRecentSite } from './recent-sites'

/** What a new site holds when it has no template and no zip. */
export const HELLO_PAGE = '<!doctype html>\n<html>\n<head><meta charset="utf-8"><title>Hello</title></head>\n<body>\n<h1>Hello, world.</h1>\n</body>\n</html>\n'

/** Why the studio could not open: a damaged or declined invite, storage the browser refused, a name taken by someone else, or the page left. */
export type StudioOpenErrorKind = 'invite' | 'declined' | 'storage' | 'refused' | 'aborted'

/** The studio did not open; `kind` says why, the message is for the author. */
export class StudioOpenError extends Error {
  constructor(readonly kind: StudioOpenErrorKind, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'StudioOpenError'
  }
}

/** What opening the studio needs; the app passes the browser's, tests pass their own. */
export interface OpenStudioOptions {
  name: string
  /** The gallery template a new site starts from. */
  template?: string
  /** The page's `location.hash`, which may carry an invite. */
  hash: string
  /** Take the invite out of the address bar (it holds secrets). */
  clearHash(): void
  /** Ask the person whether to co-author `site` with the invite's credentials; nothing is kept unless they say yes. */
  confirmInvite(site: string): Promise<boolean>
  /** Enrol this browser's key in `site` with the invite's code: the room to join; rejects when the server refuses it. */
  enrol(site: string, code: string): Promise<RoomState>
  storage: CredentialStorage
  openSite(name: string): Promise<PersistedSite>
  /** Build the host runtime for the site (not started yet). */
  createRuntime(site: SiteDoc): HostRuntime
  /** The site is new here and waits for a co-author's tab to share it. */
  onSyncing?(): void
  /** Meet the co-authors of the site with its room key: `rejoin` joins an epoch of the room (null: leave it). */
  joinRoom(site: SiteDoc, key: string): SiteRoomHandle
  /** A zip chosen on the landing page for this new site, if any. */
  pendingImport(): { bytes: Uint8Array, name: string } | null
  loadTemplate(id: string, files: FileStore): Promise<unknown>
  signal?: AbortSignal
}

/** The co-authors' room as the studio holds it. */
export interface SiteRoomHandle {
  /** Join `room`'s epoch (the old one is left first), or leave with null. */
  rejoin(room: RoomState | null): Promise<void> | void
}

/** An open studio: the site from this browser's storage, served from this tab. */
export interface OpenedStudio {
  persisted: PersistedSite
  runtime: HostRuntime
  /** Why a new site could not be filled (it is served empty), or null. */
  seedProblem: string | null
  /** Something the author should know that did not stop the studio (an invite ignored), or null. */
  notice: string | null
  /** Stop serving and close the site's storage. */
  close(): Promise<void>
}

/** Resolve once the site holds a file (a co-author's tab has shared it), or the open is aborted. */
function firstFiles(site: SiteDoc, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (site.files.listSync().length > 0 || signal?.aborted) return resolve()
    const done = () => {
      stop()
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const stop = site.files.onChange(() => {
      if (site.files.listSync().length > 0) done()
    })
    signal?.addEventListener('abort', done, { once: true })
  })
}

/** A new site's first files: the pending zip, else the template, else "Hello, world." */
async function seed(site: SiteDoc, options: OpenStudioOptions): Promise<void> {
  const zip = options.pendingImport()
  if (zip) importSiteZip(site, zip.bytes, { mode: 'replace' })
  else if (options.template) await options.loadTemplate(options.template, site.files)
  else await site.files.write('public/index.html', HELLO_PAGE)
}

/** What became of the invite in the address: none, accepted (its credentials are kept), or ignored (this browser already has its own). */
type InviteOutcome = { kind: 'none' } | { kind: 'accepted', invite: Invite, room: RoomState } | { kind: 'ignored' }

/**
 * The invite in the address. It never replaces a room key or role this
 * browser already has for the site (a link anyone can craft would otherwise
 * hand the site to whoever chose its key), and it is kept only when the
 * person says yes to co-authoring the site it names and the server enrols
 * this browser's key with it.
 */
async function takeInvite(options: OpenStudioOptions): Promise<InviteOutcome> {
  if (!isInviteHash(options.hash)) return { kind: 'none' }
  options.clearHash()
  const { storage, name } = options
  // Checked before the link is even read: a browser with its own credentials takes none from a link, damaged or not.
  if (roomKey(storage, name, false) !== null || ownsSite(storage, name)) return { kind: 'ignored' }
  let invite: Invite | null
  try {
    invite = parseInvite(options.hash)
  }
  catch (error) {
    if (error instanceof InviteError) throw new StudioOpenError('invite', error.message, { cause: error })
    throw error
  }
  if (!invite) throw new StudioOpenError('invite', 'this invite link is damaged: ask for a new one')
  if (!await options.confirmInvite(name)) throw new StudioOpenError('declined', `You declined the invitation to co-author ${name}: nothing was kept.`)
  let room: RoomState
  try {
    room = await options.enrol(name, invite.code)
  }
  catch (error) {
    const refused = error instanceof SignalingError && error.code === 'bad-invite'
    throw new StudioOpenError('invite', refused
      ? `This invitation to ${name} is not valid (it expired, was revoked, or was never made): ask for a new one. Nothing was kept.`
      : `The invitation could not be checked: ${errorMessage(error)}. Nothing was kept.`, { cause: error })
  }
  acceptInvite(storage, name, invite)
  return { kind: 'accepted', invite, room }
}

async function openStorage(options: OpenStudioOptions): Promise<PersistedSite> {
  try {
    return await options.openSite(options.name)
  }
  catch (error) {
    throw new StudioOpenError('storage', `This browser could not open the site's storage (IndexedDB): ${errorMessage(error)}`, { cause: error })
  }
}

/**
 * Open the studio of a site, in order: the invite in the address (if any)
 * becomes this browser's credentials once the person accepts it, unless the
 * browser has its own; the site's document comes from
 * IndexedDB; an invited author joins the room at once and, for a site new
 * here, waits for a co-author's tab to share it; the host registers the
 * name (a taken name stops here, creating nothing); the owner joins the
 * room once the name is surely theirs; a new site is filled. Aborting at any
 * step undoes what was opened and rejects with kind 'aborted'.
 */
export async function openStudio(options: OpenStudioOptions): Promise<OpenedStudio> {
  const outcome = await takeInvite(options)
  const invite = outcome.kind === 'accepted' ? outcome.invite : null
  const notice = outcome.kind === 'ignored' ? `An invitation to ${options.name} was ignored: this browser is already one of its authors, and nothing changed.` : null
  if (options.signal?.aborted) throw new StudioOpenError('aborted', 'the studio was closed while it opened')
  const persisted = await openStorage(options)
  let runtime: HostRuntime | null = null
  const close = async () => {
    runtime?.destroy()
    await persisted.close()
  }
  const check = async () => {
    if (!options.signal?.aborted) return
    await close()
    throw new StudioOpenError('aborted', 'the studio was closed while it opened')
  }
  await check()
  const { site, fresh } = persisted
  let room: SiteRoomHandle | null = null
  let epoch: number | null = null
  let roomProblem: string | null = null
  const join = (state: RoomState | null) => {
    if (state?.epoch === epoch) return
    const key = state && !room ? roomKey(options.storage, options.name) : null
    if (key) room = options.joinRoom(site, key)
    epoch = room ? state?.epoch ?? null : null
    void Promise.resolve(room?.rejoin(state)).catch((error: unknown) => {
      roomProblem = `Could not join the co-authors: ${errorMessage(error)}`
    })
  }
  if (outcome.kind === 'accepted') join(outcome.room)
  if (fresh && invite) {
    options.onSyncing?.()
    await firstFiles(site, options.signal)
    await check()
  }
  // Only now: the runtime keeps a session secret in the site, which must be the co-authors' one, not a new one.
  runtime = options.createRuntime(site)
  const state = await runtime.start()
  await check()
  if (state.status === 'refused') {
    await close()
    throw new StudioOpenError('refused', state.problem)
  }
  // A legacy registration (no key) has no room: an invited author stays in the one it joined.
  const registered = runtime.room()
  if (registered) join(registered)
  // An author removed: the others move to the room's new epoch; this browser removed: it leaves.
  runtime.on('room', next => join(next))
  let seedProblem: string | null = null
  if (fresh && !invite) {
    await seed(site, options).catch((error: unknown) => {
      seedProblem = `The site could not be created: ${errorMessage(error)}`
    })
  }
  recordRecentSite(options.storage, options.name)
  return { persisted, runtime, seedProblem: seedProblem ?? roomProblem, notice, close }
}
