const SYNC_MS = 250

/**
 * Show the site in a full-window iframe at `path`, and keep the address bar
 * and title in step with it, so reload, bookmarks and deep links work.
 */
export function followFrame(path: string, site: string): HTMLIFrameElement {
  const frame = document.createElement('iframe')
  frame.id = 'ps-site'
  frame.title = site
  frame.src = path
  document.body.append(frame)
  let last = ''
  const sync = () => {
    let href: string
    let title: string
    try {
      const win = frame.contentWindow
      if (!win || win.location.origin !== location.origin) return
      href = win.location.pathname + win.location.search + win.location.hash
      title = win.document.title
    }
    catch {
      return // The frame is between documents, or navigated off-origin: nothing to mirror.
    }
    if (title && document.title !== title) document.title = title
    if (href === last || href === 'about:blank') return
    last = href
    if (href !== location.pathname + location.search + location.hash) history.replaceState(null, '', href)
  }
  frame.addEventListener('load', sync)
  setInterval(sync, SYNC_MS)
  return frame
}
