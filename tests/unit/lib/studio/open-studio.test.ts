import { afterEach, describe, expect, it } from 'vitest'
import { createHostRuntime, type HostRuntime } from '../../../../lib/host/runtime'
import { SignalingError } from '../../../../lib/peer/signaling-client'
import { exportSiteZip, openSiteDoc, type SiteDoc } from '../../../../lib/site'
import type { PersistedSite } from '../../../../lib/site/persisted'
import { HELLO_PAGE, openStudio, StudioOpenError, type OpenStudioOptions } from '../../../../lib/studio/open-studio'
import { inviteLink } from '../../../../lib/studio/invite'
import type { FileStore } from '../../../../lib/vserver/files'
import { authorRoleKey, ownerTokenKey, RECENT_SITES_KEY, roomKeyKey } from '../../../../shared/storage-keys'
import { fakeHosting } from '../../../helpers/fake-hosting'
import { fakeWorkers } from '../../../helpers/fake-worker'
import { memoryStorage } from '../../../helpers/memory-storage'

const INVITE = { key: 'k'.repeat(43), code: 'c'.repeat(43) }
const inviteHash = new URL(inviteLink('http://localhost:3000', 'class-site', INVITE)).hash
const runtimes: HostRuntime[] = []
afterEach(() => {
  for (const runtime of runtimes.splice(0)) runtime.destroy()
})


/** A site "from IndexedDB": in memory, fresh or not, recording whether it was closed. */
function persistedSite(site: SiteDoc, fresh: boolean): PersistedSite & { closed: boolean } {
  const persisted = { site, fresh, closed: false, flush: async () => {}, writing: () => false, close: async () => { persisted.closed = true } }
  return persisted
}

/** Everything openStudio needs, in memory, with a log of what it did in which order. */
function setUp(overrides: Partial<OpenStudioOptions> & { fresh?: boolean, site?: SiteDoc, hosting?: ReturnType<typeof fakeHosting>, stored?: Record<string, string> } = {}) {
  const steps: string[] = []
  const site = overrides.site ?? openSiteDoc()
  const persisted = persistedSite(site, overrides.fresh ?? true)
  const hosting = overrides.hosting ?? fakeHosting()
  const storage = memoryStorage(overrides.stored)
  const templates: string[] = []
  const options: OpenStudioOptions = {
    name: 'class-site',
    hash: '',
    clearHash: () => steps.push('clear hash'),
    confirmInvite: async (site: string) => {
      steps.push(`asked about ${site}`)
      return true
    },
    enrol: async (site: string, code: string) => {
      steps.push(`enrolled in ${site}${code === INVITE.code ? ' with the invite' : ''}`)
      return { epoch: 0 }
    },
    storage,
    openSite: async () => {
      steps.push('open storage')
      return persisted
    },
    createRuntime: (doc) => {
      steps.push(`runtime (${doc.files.listSync().length} files)`)
      const runtime = createHostRuntime({ name: 'class-site', site: doc, storage, signalUrl: 'ws://signal.invalid', iceServers: [], createWorker: fakeWorkers().create, host: hosting.host })
      runtimes.push(runtime)
      return runtime
    },
    joinRoom: (_doc, key) => {
      steps.push(`join room ${key === INVITE.key ? 'with the invite key' : 'with a new key'}`)
      return { rejoin: room => void steps.push(room ? `room epoch ${room.epoch}` : 'leave room') }
    },
    onSyncing: () => steps.push('syncing'),
    pendingImport: () => null,
    loadTemplate: async (id: string, files: FileStore) => {
      templates.push(id)
      await files.write('public/index.html', `<h1>${id}</h1>`)
    },
    ...overrides,
  }
  return { options, steps, persisted, storage, hosting, templates, site }
}

describe('opening the studio', () => {
  it('a legacy registration by owner token (no key, so no room ticket) joins no room', async () => {
    const { options, steps } = setUp()
    const opened = await openStudio(options)
    expect(steps).toEqual(['open storage', 'runtime (0 files)'])
    expect(opened.runtime.state().status).toBe('serving')
  })

  it('follows the room when an author is removed, and leaves it when this browser is', async () => {
    const hosting = fakeHosting({ role: 'author' })
    const { options, steps, storage } = setUp({ hosting, stored: { [roomKeyKey('class-site')]: 'room-key-'.padEnd(43, 'r') } })
    const opened = await openStudio(options)
    hosting.moveRoom()
    expect(steps.slice(-1)).toEqual(['room epoch 1'])
    expect(opened.runtime.room()?.epoch).toBe(1)
    hosting.removeThisBrowser()
    expect(steps.slice(-1)).toEqual(['leave room'])
    expect(opened.runtime.state()).toMatchObject({ status: 'refused', problem: expect.stringMatching(/removed you from the authors of class-site/) })
    expect(storage.map.get(roomKeyKey('class-site'))).toBeUndefined()
    expect(storage.map.get(authorRoleKey('class-site'))).toBeUndefined()
    expect(hosting.stopped).toBe(true)
  })

  it('a new site: registers the name, then joins its room at the epoch the server gave and says hello', async () => {
    const { options, steps, storage, site } = setUp({ hosting: fakeHosting({ role: 'owner' }) })
    const opened = await openStudio(options)
    expect(steps).toEqual(['open storage', 'runtime (0 files)', 'join room with a new key', 'room epoch 0'])
    expect(opened.runtime.state().status).toBe('serving')
    expect(site.files.readText('public/index.html')).toBe(HELLO_PAGE)
    expect(opened.seedProblem).toBeNull()
    expect(storage.map.get(authorRoleKey('class-site'))).toBe('owner')
    expect(storage.map.get(roomKeyKey('class-site'))).toMatch(/^[\w-]{40,}$/)
    expect(JSON.parse(storage.map.get(RECENT_SITES_KEY) ?? '[]')[0]?.name).toBe('class-site')
  })

  it('a new site from a template gets the template\'s files', async () => {
    const { options, site, templates } = setUp({ template: 'blog' })
    await openStudio(options)
    expect(templates).toEqual(['blog'])
    expect(site.files.readText('public/index.html')).toBe('<h1>blog</h1>')
  })

  it('a zip chosen on the landing page wins over the template', async () => {
    const source = openSiteDoc()
    await source.files.write('public/from-zip.html', 'zipped')
    const { options, site, templates } = setUp({ template: 'blog', pendingImport: () => ({ bytes: exportSiteZip(source), name: 'mine.zip' }) })
    await openStudio(options)
    expect(templates).toEqual([])
    expect(site.files.readText('public/from-zip.html')).toBe('zipped')
  })

  it('a template that cannot load still opens the studio, and says why', async () => {
    const { options } = setUp({ template: 'gone', loadTemplate: async () => { throw new Error('template "gone" could not be loaded (HTTP 404)') } })
    const opened = await openStudio(options)
    expect(opened.seedProblem).toBe('The site could not be created: template "gone" could not be loaded (HTTP 404)')
    expect(opened.runtime.state().status).toBe('serving')
  })

  it('a site this browser already has is opened as it is', async () => {
    const site = openSiteDoc()
    await site.files.write('public/index.html', 'mine')
    const { options, templates } = setUp({ site, fresh: false, template: 'blog' })
    await openStudio(options)
    expect(templates).toEqual([])
    expect(site.files.readText('public/index.html')).toBe('mine')
  })

  it('a taken name stops before anything is created: no files, no room, no recent site', async () => {
    const { options, steps, site, persisted, storage } = setUp({ hosting: fakeHosting({ refuse: new SignalingError('name-taken', 'class-site is taken') }) })
    const failure = await openStudio(options).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(StudioOpenError)
    expect(failure).toMatchObject({ kind: 'refused', message: 'class-site is taken' })
    expect(steps).toEqual(['open storage', 'runtime (0 files)'])
    expect(site.files.listSync()).toEqual([])
    expect(persisted.closed).toBe(true)
    expect(storage.map.has(RECENT_SITES_KEY)).toBe(false)
  })

  it('storage the browser refuses is a storage error with its reason', async () => {
    const { options } = setUp({ openSite: async () => { throw new Error('QuotaExceededError') } })
    await expect(openStudio(options)).rejects.toMatchObject({ kind: 'storage', message: 'This browser could not open the site\'s storage (IndexedDB): QuotaExceededError' })
  })
})

describe('opening the studio from an invite', () => {
  it('keeps the invite, clears it from the address, joins the room, and waits for a co-author\'s files', async () => {
    const { options, steps, storage, site } = setUp({ hash: inviteHash })
    const opening = openStudio(options)
    await new Promise(resolve => setTimeout(resolve, 10))
    expect(steps).toEqual(['clear hash', 'asked about class-site', 'enrolled in class-site with the invite', 'open storage', 'join room with the invite key', 'room epoch 0', 'syncing'])
    expect(storage.map.get(roomKeyKey('class-site'))).toBe(INVITE.key)
    expect(storage.map.get(ownerTokenKey('class-site'))).toBeUndefined()
    await site.files.write('public/index.html', 'shared by a co-author')
    const opened = await opening
    // The runtime starts only with the co-authors' files (and session secret) in place.
    expect(steps.slice(7)).toEqual(['runtime (1 files)'])
    expect(site.files.readText('public/index.html')).toBe('shared by a co-author')
    expect(opened.runtime.state().status).toBe('serving')
  })

  it('a damaged invite is refused before anything is opened or kept', async () => {
    const { options, steps, storage } = setUp({ hash: '#invite&key=short&code=short' })
    await expect(openStudio(options)).rejects.toMatchObject({ kind: 'invite', message: 'this invite link is damaged: ask for a new one' })
    expect(steps).toEqual(['clear hash'])
    expect(storage.map.size).toBe(0)
  })

  it('leaving while it waits for a co-author aborts: storage closed, no runtime', async () => {
    const controller = new AbortController()
    const { options, steps, persisted } = setUp({ hash: inviteHash, signal: controller.signal })
    const opening = openStudio(options).catch((error: unknown) => error)
    await new Promise(resolve => setTimeout(resolve, 10))
    controller.abort()
    expect(await opening).toMatchObject({ kind: 'aborted' })
    expect(persisted.closed).toBe(true)
    expect(steps.some(step => step.startsWith('runtime'))).toBe(false)
  })

  it('leaving while the name registers aborts: the runtime stops serving', async () => {
    const controller = new AbortController()
    const hosting = fakeHosting()
    const { options, persisted } = setUp({ hosting, signal: controller.signal, createRuntime: (doc) => {
      controller.abort()
      const runtime = createHostRuntime({ name: 'class-site', site: doc, storage: memoryStorage(), signalUrl: 'ws://signal.invalid', iceServers: [], createWorker: fakeWorkers().create, host: hosting.host })
      runtimes.push(runtime)
      return runtime
    } })
    await expect(openStudio(options)).rejects.toMatchObject({ kind: 'aborted' })
    expect(persisted.closed).toBe(true)
    expect(hosting.stopped).toBe(true)
  })

  it('an invite opened in a browser that already has the site changes nothing, and the studio opens as before', async () => {
    const site = openSiteDoc()
    await site.files.write('public/index.html', 'the owner\'s')
    const stored = { [roomKeyKey('class-site')]: 'owner-room-key-'.padEnd(43, 'x'), [ownerTokenKey('class-site')]: 'owner-token-'.padEnd(43, 'y') }
    const { options, steps, storage } = setUp({ site, fresh: false, hash: inviteHash, stored, hosting: fakeHosting({ role: 'owner' }) })
    const opened = await openStudio(options)
    expect(storage.map.get(roomKeyKey('class-site'))).toBe(stored[roomKeyKey('class-site')])
    expect(storage.map.get(authorRoleKey('class-site'))).toBe('owner')
    expect(steps).toContain('clear hash')
    expect(steps).not.toContain('asked about class-site')
    expect(steps).toContain('join room with a new key')
    expect(opened.notice).toMatch(/invitation to class-site was ignored/)
    expect(opened.runtime.state().status).toBe('serving')
  })

  it('an invite the person declines keeps nothing and opens nothing', async () => {
    const { options, steps, storage } = setUp({ hash: inviteHash, confirmInvite: async () => false })
    await expect(openStudio(options)).rejects.toMatchObject({ kind: 'declined', message: 'You declined the invitation to co-author class-site: nothing was kept.' })
    expect(steps).toEqual(['clear hash'])
    expect(storage.map.size).toBe(0)
  })

  it('an invite the server refuses (forged, expired, revoked) keeps nothing and joins no room', async () => {
    const { options, steps, storage } = setUp({ hash: inviteHash, enrol: async () => { throw new SignalingError('bad-invite', 'this invite is not valid') } })
    await expect(openStudio(options)).rejects.toMatchObject({ kind: 'invite', message: expect.stringContaining('This invitation to class-site is not valid') })
    expect(steps).toEqual(['clear hash', 'asked about class-site'])
    expect(storage.map.size).toBe(0)
  })
})
