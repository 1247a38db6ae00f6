import type { Browser, Page } from 'playwright-core'
import type { TestServer } from '../helpers/server.ts'

// The author's side of the lesson bench, through the studio's UI: the host
// tab, its long tasks, typing in Monaco and saving a file.

/** What the bench keeps in the host page's window. */
interface BenchWindow {
  benchLongTasks: Array<{ start: number, ms: number }>
  /** `event.timeStamp` of the last keydown, and the epoch ms of the last Ctrl-S keydown. */
  benchKeyAt: number
  benchSaveAt: number
  benchPaint: Promise<KeySample>
}

/** One keystroke, ms from its keydown: to the character in the DOM, and to the next animation frame after that. */
export interface KeySample {
  domMs: number
  paintMs: number
}

const PAINT_TIMEOUT_MS = 5_000

/** The studio of `site`, once every file of `folder` is in it, with a long-task observer and a keydown recorder installed. */
export async function hostTab(browser: Browser, server: TestServer, site: string, folder: string, urls: string[]): Promise<Page> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] })
  const host = await context.newPage()
  await host.goto(`${server.url}/host/${site}`)
  await host.getByTestId('host-status').filter({ hasText: 'Serving' }).waitFor({ timeout: 20_000 })
  await host.getByTestId('upload-folder').setInputFiles(folder)
  // The upload writes files one by one: a visitor must not come before the last.
  await Promise.all(urls.filter(url => url !== '/').map(url => host.getByTestId(`file-public${url}`).waitFor()))
  await host.evaluate(() => {
    const bench = window as unknown as BenchWindow
    // Buffered, so tasks that run before the first callback are not missed; read back by `longTasksSince`.
    bench.benchLongTasks = []
    new PerformanceObserver(list => bench.benchLongTasks.push(...list.getEntries().map(entry => ({ start: entry.startTime, ms: entry.duration })))).observe({ type: 'longtask', buffered: true })
    // Capturing, so it runs before Monaco's own handlers (as coedit.ts does).
    addEventListener('keydown', (event: KeyboardEvent) => {
      bench.benchKeyAt = event.timeStamp
      if (event.ctrlKey && event.code === 'KeyS') bench.benchSaveAt = performance.timeOrigin + event.timeStamp
    }, true)
  })
  return host
}

/** The host tab's long tasks that started after `since` (its `performance.now()`). */
export async function longTasksSince(host: Page, since: number) {
  const tasks = await host.evaluate(since => (window as unknown as BenchWindow).benchLongTasks.filter(task => task.start >= since), since)
  return { count: tasks.length, totalMs: tasks.reduce((sum, task) => sum + task.ms, 0), longestMs: Math.max(0, ...tasks.map(task => task.ms)) }
}

/** Open `path` (e.g. `public/css/a.css`) from the file tree and wait for Monaco. */
export async function openInEditor(host: Page, path: string): Promise<void> {
  await host.getByTestId(`file-${path}`).click()
  await host.locator('[data-testid=editor][data-loaded=true]').waitFor({ timeout: 30_000 })
}

/** Click into the editor and put the caret at the end of the file, as an author adding a rule would. */
async function caretAtEnd(host: Page): Promise<void> {
  await host.getByTestId('editor').locator('.view-lines').click()
  await host.keyboard.press('Control+End')
}

/**
 * Type `keys` letters, one at a time, in a new comment at the end of the open
 * file; each keystroke's latency (`KeySample`). The next key is pressed once
 * the last one is drawn. The comment is left in the draft (saved later).
 */
export async function typeKeys(host: Page, label: string, keys: number): Promise<KeySample[]> {
  await caretAtEnd(host)
  // Monaco draws spaces as no-break spaces: what is looked for has none.
  let typed = `typed-${label}-`
  await host.keyboard.insertText(`\n/* ${typed}`)
  const samples: KeySample[] = []
  for (let i = 0; i < keys; i++) {
    const key = String.fromCharCode(97 + (i % 26))
    typed += key
    await host.evaluate(({ expected, timeoutMs }) => {
      const bench = window as unknown as BenchWindow
      const lines = document.querySelector('[data-testid=editor] .view-lines')
      if (!lines) throw new Error('no editor lines')
      bench.benchPaint = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`'${expected}' was not drawn in ${timeoutMs} ms`)), timeoutMs)
        const observer = new MutationObserver(() => {
          if (!lines.textContent?.includes(expected)) return
          observer.disconnect()
          clearTimeout(timer)
          const domAt = performance.now()
          requestAnimationFrame(() => resolve({ domMs: domAt - bench.benchKeyAt, paintMs: performance.now() - bench.benchKeyAt }))
        })
        observer.observe(lines, { subtree: true, childList: true, characterData: true })
      })
    }, { expected: typed, timeoutMs: PAINT_TIMEOUT_MS })
    await host.keyboard.press(key)
    samples.push(await host.evaluate(() => (window as unknown as BenchWindow).benchPaint))
  }
  await host.keyboard.insertText(' */')
  return samples
}

/** Add `text` at the end of the open file and press Ctrl-S, as an author does; the epoch ms of the Ctrl-S keydown, once the studio says Saved. */
export async function saveEdit(host: Page, text: string): Promise<number> {
  await caretAtEnd(host)
  await host.keyboard.insertText(text)
  await host.getByTestId('save-status').filter({ hasText: /^Unsaved/ }).waitFor({ timeout: 5_000 })
  await host.evaluate(() => Object.assign(window, { benchSaveAt: Number.NaN }))
  await host.keyboard.press('Control+S')
  await host.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor({ timeout: 10_000 })
  return host.evaluate(() => (window as unknown as BenchWindow).benchSaveAt)
}

/** How far the host page's epoch clock is ahead of this process's, ± half the round trip. */
export async function clockOffset(host: Page): Promise<{ ms: number, uncertaintyMs: number }> {
  const before = performance.timeOrigin + performance.now()
  const there = await host.evaluate(() => performance.timeOrigin + performance.now())
  const after = performance.timeOrigin + performance.now()
  return { ms: there - (before + after) / 2, uncertaintyMs: (after - before) / 2 }
}
