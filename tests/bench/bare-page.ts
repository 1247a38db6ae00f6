// A page Playwright does not instrument, for throughput figures. Playwright
// turns on DevTools network tracking in every page it drives: each chunk a
// page's fetch reads is copied into the inspector's buffer and reported to
// the driver as an event. A raw data channel never pays that; a download
// through the tunnel (a fetch in the site's frame) pays it per read. So the
// bulk comparison runs in a page of a browser context Playwright does not
// know (it detaches from such targets) and is driven over plain CDP:
// Runtime.evaluate only, no Network or Page domain.
import type { Browser, CDPSession } from 'playwright-core'

/** What the benchmark needs of a page: run a self-contained function with a JSON argument. */
export interface Evaluator {
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>
}

export interface BarePage extends Evaluator {
  close(): Promise<void>
}

const CALL_TIMEOUT_MS = 120_000

interface TargetReply {
  id?: number
  result?: { result?: { value?: unknown }, exceptionDetails?: { text?: string, exception?: { description?: string } } }
  error?: { message: string }
}

/** Open `url` in a fresh browser context of its own (camera and microphone granted, for loopback ICE, unless `loopbackIce` is false). */
export async function openBarePage(browser: Browser, url: string, loopbackIce = true): Promise<BarePage> {
  const cdp: CDPSession = await browser.newBrowserCDPSession()
  const { browserContextId } = await cdp.send('Target.createBrowserContext', { disposeOnDetach: true })
  if (loopbackIce) await cdp.send('Browser.grantPermissions', { permissions: ['audioCapture', 'videoCapture'], browserContextId })
  const { targetId } = await cdp.send('Target.createTarget', { url, browserContextId })
  // Not flattened: the browser session carries the page's messages, so Playwright's session API suffices.
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: false })
  let nextId = 1
  const waiting = new Map<number, (reply: TargetReply) => void>()
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return
    const reply = JSON.parse(event.message) as TargetReply
    if (reply.id !== undefined) waiting.get(reply.id)?.(reply)
  })
  const call = (method: string, params: object) => new Promise<TargetReply>((resolve, reject) => {
    const id = nextId++
    const timer = setTimeout(() => {
      waiting.delete(id)
      reject(new Error(`${method} got no answer from the bare page in ${CALL_TIMEOUT_MS / 1000} s`))
    }, CALL_TIMEOUT_MS)
    waiting.set(id, (reply) => {
      clearTimeout(timer)
      waiting.delete(id)
      resolve(reply)
    })
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch((error: unknown) => {
      clearTimeout(timer)
      waiting.delete(id)
      reject(error instanceof Error ? error : new Error(String(error)))
    })
  })
  // As Playwright does for its pages: the tab in front, and focused, so nothing about it is backgrounded.
  await cdp.send('Target.activateTarget', { targetId })
  const focused = await call('Emulation.setFocusEmulationEnabled', { enabled: true })
  if (focused.error) throw new Error(`focus emulation failed: ${focused.error.message}`)
  return {
    async evaluate(fn, arg) {
      const reply = await call('Runtime.evaluate', { expression: `(${fn.toString()})(${JSON.stringify(arg)})`, awaitPromise: true, returnByValue: true })
      if (reply.error) throw new Error(`Runtime.evaluate failed: ${reply.error.message}`)
      const details = reply.result?.exceptionDetails
      if (details) throw new Error(details.exception?.description ?? details.text ?? 'the page threw')
      return reply.result?.result?.value as Awaited<ReturnType<typeof fn>>
    },
    async close() {
      await cdp.send('Target.disposeBrowserContext', { browserContextId }).catch(() => {})
      await cdp.detach().catch(() => {})
    },
  }
}

/**
 * Wait until the visitor shell in `page` shows the site: its frame has left
 * the initial about:blank (which has a body too) for a loaded page of the
 * site, so the service worker answers what that frame fetches.
 */
export async function siteFrameShown(page: Evaluator, timeoutMs = 30_000): Promise<void> {
  await page.evaluate(async (timeoutMs) => {
    const deadline = performance.now() + timeoutMs
    while (performance.now() < deadline) {
      const frame = (document.getElementById('ps-site') as HTMLIFrameElement | null)?.contentWindow
      try {
        if (frame && frame.location.href !== 'about:blank' && frame.document.readyState === 'complete' && frame.navigator.serviceWorker.controller) return
      }
      catch {
        // Not the site's document yet.
      }
      await new Promise(resolve => setTimeout(resolve, 50))
    }
    throw new Error(`the visitor shell showed no site within ${timeoutMs} ms`)
  }, timeoutMs)
}
