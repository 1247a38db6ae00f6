import { decodeLessonEvents, LESSON_PATH, sitePathProblem, type LessonEvent } from '../../shared/protocol/lesson'
import type { TunnelClient } from '../../lib/tunnel/client'
import { rememberFollow, type LessonIdentity } from './identity'
import { reloadPage, scrollFraction, scrollTo, swapStylesheets } from './frame'

const REPORT_MS = 150

/** What the live channel needs from the shell. */
export interface LessonShell {
  /** The tunnel to the current host, once there is one (a new one after a failover). */
  ready(): Promise<TunnelClient>
  frame: HTMLIFrameElement
  identity: LessonIdentity
  /** The teacher removed this visitor: stop everything and say so. */
  removed(): void
}

/**
 * The shell's end of the live channel (`/_ps/lesson` through the tunnel): live
 * reload when authors save, follow mode in a lesson, and reports of where this
 * visitor is (the roster; a leader's reports move the followers).
 */
export function runLesson(shell: LessonShell): void {
  const { frame, identity } = shell
  const state = { leading: false, lesson: identity.joined, follow: identity.joined, client: null as TunnelClient | null }
  const toggle = followToggle(state.follow, (on) => {
    state.follow = on
    rememberFollow(on)
  })

  const show = () => {
    toggle.root.hidden = !state.lesson || state.leading
    badge.hidden = !state.leading
  }
  const badge = leadBadge()

  const handle = async (event: LessonEvent) => {
    if (event.type === 'hello') Object.assign(state, { leading: event.leading, lesson: event.lesson || state.lesson })
    else if (event.type === 'reload') {
      if (event.page) await reloadPage(frame)
      else swapStylesheets(frame, event.css)
    }
    else if (event.type === 'navigate') {
      state.lesson = true
      if (state.follow && !state.leading) await goTo(frame, event.path, event.scroll)
    }
    else if (event.type === 'removed') shell.removed()
    show()
  }

  // Report where this visitor is: on every page it loads, and as a leader while it scrolls.
  let timer: ReturnType<typeof setTimeout> | undefined
  const report = () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      const win = frame.contentWindow
      const client = state.client
      if (!win || !client || client.error) return
      const path = win.location.pathname + win.location.search
      // A page at `/.//host` is on the site, but its path would read as another host: not reported.
      if (sitePathProblem(path)) return
      const body = JSON.stringify({ path, scroll: scrollFraction(win) })
      client.request({ method: 'POST', url: LESSON_PATH, headers: [['content-type', 'application/json']] }, new TextEncoder().encode(body))
        .then(response => response.body.cancel())
        .catch((error: unknown) => console.info('[shell] could not report the page to the host:', error))
    }, REPORT_MS)
  }
  frame.addEventListener('load', () => {
    report()
    frame.contentWindow?.addEventListener('scroll', () => state.leading && report(), { passive: true })
  })

  void (async () => {
    for (;;) {
      const client = await shell.ready()
      state.client = client
      try {
        await listen(client, identity, handle)
        report()
      }
      catch (error) {
        console.info('[shell] live channel closed:', error)
      }
      // The host went away: wait for the next one (the connection keeps looking).
      await new Promise(resolve => setTimeout(resolve, 300))
    }
  })()
}

/** Open the live channel on `client` and hand each event to `handle` until it ends. */
async function listen(client: TunnelClient, identity: LessonIdentity, handle: (event: LessonEvent) => Promise<void>): Promise<void> {
  const query = new URLSearchParams({ id: identity.id, name: identity.name, lead: identity.lead })
  const response = await client.request({ method: 'GET', url: `${LESSON_PATH}?${query}`, headers: [['accept', 'text/event-stream']] })
  if (response.head.status !== 200) {
    await response.body.cancel()
    throw new Error(`the host refused the live channel (${response.head.status})`)
  }
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let rest = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    const decoded = decodeLessonEvents(rest + decoder.decode(value, { stream: true }))
    rest = decoded.rest
    for (const event of decoded.events) await handle(event)
  }
}

async function goTo(frame: HTMLIFrameElement, path: string, scroll: number): Promise<void> {
  const win = frame.contentWindow
  // The event's schema refused paths off the site already; resolve it here as well, and compare origins.
  if (!win || sitePathProblem(path) || new URL(path, location.origin).origin !== location.origin) return
  if (win.location.pathname + win.location.search !== path) {
    await new Promise<void>((resolve) => {
      frame.addEventListener('load', () => resolve(), { once: true })
      win.location.assign(path)
    })
  }
  const now = frame.contentWindow
  if (now) scrollTo(now, scroll)
}

function followToggle(on: boolean, changed: (on: boolean) => void): { root: HTMLElement } {
  const root = document.createElement('label')
  root.id = 'ps-follow'
  root.hidden = true
  root.style.cssText = 'position:fixed;left:.5rem;bottom:.5rem;z-index:2;background:#1d3557;color:#fff;font:13px system-ui,sans-serif;padding:.3rem .6rem;border-radius:.4rem;display:flex;gap:.4rem;align-items:center'
  const box = document.createElement('input')
  box.type = 'checkbox'
  box.checked = on
  box.addEventListener('change', () => changed(box.checked))
  root.append(box, 'Follow the teacher')
  document.body.append(root)
  return { root }
}

function leadBadge(): HTMLElement {
  const badge = document.createElement('div')
  badge.id = 'ps-lead'
  badge.hidden = true
  badge.textContent = 'Leading: students who follow see what you see'
  badge.style.cssText = 'position:fixed;left:.5rem;bottom:.5rem;z-index:2;background:#2b8a3e;color:#fff;font:13px system-ui,sans-serif;padding:.3rem .6rem;border-radius:.4rem'
  document.body.append(badge)
  return badge
}
