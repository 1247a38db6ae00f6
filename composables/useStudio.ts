import type { FileEntry } from '../lib/vserver/files'
import type { Database } from '../lib/vserver/db'
import { checkRouteFile } from '../lib/vserver/modules/check'
import { loadTemplate } from '../lib/host/template'
import { recordRecentSite } from '../lib/studio/recent-sites'
import { importSiteZip, type SiteDoc } from '../lib/site'
import { useHostStore } from '../stores/host'
import { useStudioStore } from '../stores/studio'
import { openPersistedSite, type PersistedSite } from './useSite'
import { takePendingImport } from './usePendingImport'
import { acceptInvite, roomKey, useCoAuthors } from './useCoAuthors'
import { parseInvite, type Invite } from '../lib/studio/invite'
import { errorMessage } from '../shared/error-message'

const HELLO = '<!doctype html>\n<html>\n<head><meta charset="utf-8"><title>Hello</title></head>\n<body>\n<h1>Hello, world.</h1>\n</body>\n</html>\n'


/** Resolve once the site holds a file (a co-author's tab has shared it). */
function firstFiles(site: SiteDoc): Promise<void> {
  return new Promise((resolve) => {
    if (site.files.listSync().length > 0) return resolve()
    const stop = site.files.onChange(() => {
      if (site.files.listSync().length === 0) return
      stop()
      resolve()
    })
  })
}

/** The invite in the address, kept and then taken out of the address bar (it holds secrets). */
function takeInvite(name: string): Invite | null {
  const invite = parseInvite(location.hash)
  if (!invite) return null
  acceptInvite(name, invite)
  history.replaceState(history.state, '', location.pathname + location.search)
  return invite
}

/**
 * The studio of site `name`: its document from IndexedDB, synced live with
 * the other authors' tabs, served from this tab, with the file list kept
 * current. A site new to this browser is registered first (a taken name
 * stops here, creating nothing) and then filled from a pending zip, the
 * chosen template, or "Hello, world."; opened from an invite, it waits for a
 * co-author's tab to share it instead.
 */
export function useStudio(name: string, template?: string) {
  const host = useHostStore()
  const studio = useStudioStore()
  const iceServers = useRuntimeConfig().public.iceServers
  const scope = effectScope()
  const state = shallowRef<{ site: SiteDoc, db: Database, removeVisitor: (session: string) => void, leadKey: () => string } | null>(null)
  const files = shallowRef<FileEntry[]>([])
  const folders = shallowRef<string[]>([])
  const failure = ref('')
  const coAuthors = shallowRef<ReturnType<typeof useCoAuthors> | null>(null)
  let persisted: PersistedSite | null = null
  let unmounted = false
  let stopFiles = () => {}

  async function refresh() {
    if (!persisted) return
    files.value = await persisted.site.files.list()
    folders.value = persisted.site.files.folders()
  }

  async function seed(site: SiteDoc) {
    const zip = takePendingImport(name)
    if (zip) importSiteZip(site, zip.bytes, { mode: 'replace' })
    else if (template) await loadTemplate(template, site.files)
    else await site.files.write('public/index.html', HELLO)
  }

  onMounted(async () => {
    let invite: Invite | null
    try {
      invite = takeInvite(name)
      persisted = await openPersistedSite(name)
    }
    catch (error) {
      failure.value = error instanceof Error && error.message.startsWith('this invite') ? error.message : `This browser could not open the site's storage (IndexedDB): ${errorMessage(error)}`
      return
    }
    if (unmounted) return persisted.close()
    const { site, fresh } = persisted
    // Co-authors meet in the site's room; the owner joins once the name is surely theirs.
    const join = () => {
      const key = roomKey(name)
      if (key && !coAuthors.value) coAuthors.value = scope.run(() => useCoAuthors(name, site.doc, key, iceServers)) ?? null
    }
    if (invite) join()
    if (fresh && invite) {
      host.status = 'syncing'
      await firstFiles(site)
      if (unmounted) return
    }
    const served = scope.run(() => useHost(name, site, iceServers))
    if (!served) return
    await served.start()
    if (host.status === 'refused') return
    join()
    try {
      if (fresh && !invite) await seed(site)
    }
    catch (error) {
      failure.value = `The site could not be created: ${errorMessage(error)}`
    }
    recordRecentSite(localStorage, name)
    studio.dirty = site.files.dirtyPaths()
    stopFiles = site.files.onChange((paths) => {
      for (const path of paths) studio.setDirty(path, site.files.isDirty(path))
      void refresh()
    })
    await refresh()
    state.value = markRaw({ site, db: served.db, removeVisitor: served.removeVisitor, leadKey: served.leadKey })
  })

  // Drafts are written to IndexedDB as they are typed; leaving mid-write would lose the last keystrokes.
  const guard = (event: BeforeUnloadEvent) => {
    if (persisted?.writing()) event.preventDefault()
  }
  onMounted(() => addEventListener('beforeunload', guard))

  onBeforeUnmount(() => {
    removeEventListener('beforeunload', guard)
    unmounted = true
    stopFiles()
    scope.stop()
    void persisted?.close()
  })

  /** Publish the draft of `path` to visitors; a route or lib module with a syntax error is reported with file and line. */
  async function save(path: string) {
    const site = state.value?.site
    if (!site) return
    studio.save = { state: 'saving' }
    try {
      site.files.save(path)
      await persisted?.flush()
      studio.save = { state: 'saved' }
      checkModule(path, site.files.readText(path) ?? '')
    }
    catch (error) {
      studio.save = { state: 'failed', message: errorMessage(error) }
    }
  }

  /** Tell the author about a broken route at save time; it answers 500 until fixed. */
  function checkModule(path: string, text: string) {
    if (!/^(routes|lib)\/.*\.m?js$/.test(path)) return
    const check = checkRouteFile(text, path)
    if (!check.ok) host.addLog({ note: `${check.file}:${check.line}:${check.column}: ${check.message}` })
  }

  return { state, files, folders, failure, coAuthors, save, checkModule, refresh }
}
