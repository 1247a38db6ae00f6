import { createDatabase } from '../lib/vserver/db'
import { createWorkerServer } from '../lib/worker/pool'
import { randomId } from '../lib/vserver/crypto'
import { startHosting, type HostSession } from '../lib/host/host-session'
import type { SiteDoc } from '../lib/site'
import type { IceServers } from '../lib/peer/rtc-session'
import { useHostStore } from '../stores/host'
import { LessonHub } from '../lib/lesson/hub'
import { LESSON_PATH } from '../shared/protocol/lesson'
import { errorMessage } from '../shared/error-message'

/** The live-reload event for files whose served content changed: stylesheets swap in place, anything else reloads the page. */
function reloadFor(paths: string[]): { css: string[], page: boolean } {
  const css = paths.filter(path => /^public\/.+\.css$/.test(path)).map(path => `/${path.slice('public/'.length)}`)
  const page = css.length < paths.length
  return { css: page ? [] : css, page }
}

function tokenKey(site: string) {
  return `peerserver:owner-token:${site}`
}

/** Whether this browser holds the owner token of `site` (it created the site, or imported its token). */
export function ownsSite(site: string): boolean {
  return localStorage.getItem(tokenKey(site)) !== null
}

/** Serve `name` from this tab: register with signaling and answer its visitors from the site document. */
export function useHost(name: string, site: SiteDoc, iceServers: IceServers) {
  const store = useHostStore()
  let session: HostSession | null = null
  let disposed = false
  const db = markRaw(createDatabase(site.documents))

  // Static files are answered here; routes run in a dedicated worker with a
  // time limit, so an endless loop cannot freeze this page. Files, database
  // and sessions stay on the page and outlive a replaced worker.
  const server = markRaw(createWorkerServer({
    files: site.files,
    db,
    sessions: site.sessions,
    secret: site.settings.sessionSecret(() => randomId(32)),
    timeoutMs: site.settings.timeLimitSeconds * 1000,
    createWorker: () => new Worker(new URL('../lib/worker/entry.ts', import.meta.url), { type: 'module' }),
    warn: (message, error) => store.addLog({ note: error ? `${message}: ${error.message}` : message }),
    log: (entry) => {
      for (const line of entry.console) store.addLog({ note: `${entry.method} ${entry.url} console.${line.level}: ${line.text}` })
      if (entry.error) {
        const where = entry.error.file ? ` (${entry.error.file}${entry.error.line ? `:${entry.error.line}` : ''})` : ''
        store.addLog({ note: `${entry.method} ${entry.url} → ${entry.status}: ${entry.error.message}${where}` })
      }
    },
  }))
  const stopSettings = site.settings.onChange(() => server.setTimeoutMs(site.settings.timeLimitSeconds * 1000))

  // Live lessons: each visitor shell keeps a live channel open through the tunnel (lib/host/live.ts).
  const live = new LessonHub({
    leadKey: () => leadKey(),
    onLead: report => site.lesson.setLeader(report),
    isRemoved: id => site.lesson.isRemoved(id),
  })
  const stopLeader = site.lesson.onLeader(report => live.lead(report))
  const stopLive = live.onChange(() => store.setLive(live.visitors()))
  // Saved changes reach visitors' pages: compare what is served, since keystrokes only change drafts.
  const served = new Map(site.files.listSync().map(entry => [entry.path, entry.etag]))
  const stopFiles = site.files.onChange((paths) => {
    const changed = paths.filter((path) => {
      const etag = site.files.statSync(path)?.etag
      if (etag === served.get(path)) return false
      if (etag) served.set(path, etag)
      else served.delete(path)
      return true
    })
    if (changed.length > 0 && site.settings.liveReload) live.broadcast({ type: 'reload', ...reloadFor(changed) })
  })

  /** Register the name with signaling and serve every visitor that arrives. */
  async function start() {
    const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:'
    try {
      session = await startHosting({
        site: name,
        signalUrl: `${protocol}//${location.host}/_ps/signal`,
        token: localStorage.getItem(tokenKey(name)) ?? undefined,
        iceServers,
        handle: async request => (request.visitor && live.handle(request, request.visitor)) || server.handle(request),
        onLog: (entry) => {
          if (!entry.url.startsWith(LESSON_PATH)) store.addLog(entry)
        },
        onVisitors: (list) => {
          store.setVisitors(list)
          const present = new Set(list.map(visitor => visitor.session))
          for (const visitor of live.visitors()) if (!present.has(visitor.session)) live.forget(visitor.session)
        },
        onClose: () => { store.status = 'disconnected' },
      })
      if (disposed) return session.stop()
      localStorage.setItem(tokenKey(name), session.token)
      store.code = session.code
      store.status = 'serving'
    }
    catch (error) {
      store.status = 'refused'
      store.problem = errorMessage(error)
    }
  }

  /** Remove a visitor from the lesson: told so, disconnected, and kept out (on every author's host). */
  function removeVisitor(sessionId: string) {
    const visitor = live.visitors().find(candidate => candidate.session === sessionId)
    if (visitor) site.lesson.remove(visitor.id, visitor.name)
    live.remove(sessionId)
    // Give the "removed" event a moment to arrive before the connection goes.
    setTimeout(() => session?.peer(sessionId)?.close(), 500)
  }

  onScopeDispose(() => {
    disposed = true
    stopSettings()
    stopLeader()
    stopLive()
    stopFiles()
    session?.stop()
    server.destroy()
  })

  /** The key that makes a preview lead the lesson (`?ps-lead=` on the site's address). */
  const leadKey = () => site.settings.leadKey(() => randomId(16))

  return { db, start, removeVisitor, leadKey }
}
