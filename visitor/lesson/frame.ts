// What the live channel does to the site's frame (same origin as the shell).

/** How far down `win` is scrolled, 0 to 1. */
export function scrollFraction(win: Window): number {
  const room = win.document.documentElement.scrollHeight - win.innerHeight
  return room > 0 ? Math.min(1, Math.max(0, win.scrollY / room)) : 0
}

/** Scroll `win` to a fraction of its height. */
export function scrollTo(win: Window, fraction: number): void {
  const room = win.document.documentElement.scrollHeight - win.innerHeight
  win.scrollTo({ top: Math.max(0, room * fraction), behavior: 'instant' })
}

/** Reload the frame's page and put it back where it was scrolled. */
export async function reloadPage(frame: HTMLIFrameElement): Promise<void> {
  const win = frame.contentWindow
  if (!win) return
  const at = scrollFraction(win)
  await new Promise<void>((resolve) => {
    frame.addEventListener('load', () => resolve(), { once: true })
    win.location.reload()
  })
  if (frame.contentWindow) scrollTo(frame.contentWindow, at)
}

/** Swap the stylesheets at these paths for fresh copies, without a reload (the new one loads before the old one goes). */
export function swapStylesheets(frame: HTMLIFrameElement, paths: string[]): void {
  const doc = frame.contentDocument
  if (!doc) return
  const wanted = new Set(paths)
  for (const link of doc.querySelectorAll<HTMLLinkElement>('link[rel~="stylesheet"][href]')) {
    const url = new URL(link.href, doc.baseURI)
    if (url.origin !== location.origin || !wanted.has(url.pathname)) continue
    url.searchParams.set('ps-v', String(Date.now()))
    const fresh = link.cloneNode() as HTMLLinkElement
    fresh.href = url.pathname + url.search
    fresh.addEventListener('load', () => link.remove(), { once: true })
    fresh.addEventListener('error', () => fresh.remove(), { once: true })
    link.after(fresh)
  }
}
