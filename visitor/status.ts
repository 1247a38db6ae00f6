/** What the visitor sees while the site itself cannot be shown. */
export type ShellState =
  | { kind: 'connecting' }
  | { kind: 'connected', relayed: boolean }
  | { kind: 'offline', reason: 'no-host' | 'host-left' | 'busy' | 'error' | 'removed', detail?: string }

const TEXT: Record<'connecting' | 'no-host' | 'host-left' | 'busy' | 'error' | 'removed', { title: string, body: string }> = {
  'connecting': { title: 'Connecting…', body: 'Looking for a browser tab that serves {site}.' },
  'no-host': { title: 'Host offline', body: 'No one is serving {site} right now: the author\'s tab is closed. This page keeps trying and will load the site as soon as a host is back.' },
  'host-left': { title: 'Host offline', body: 'The tab that was serving {site} closed or lost its connection. Trying to reconnect…' },
  'busy': { title: 'Host busy', body: 'The tab serving {site} turned this connection away: {detail}. Trying again in a moment…' },
  'removed': { title: 'Removed from the lesson', body: 'The teacher removed you from {site}. Ask them if this was a mistake.' },
  'error': { title: 'Host offline', body: 'Could not connect to {site}: {detail}. Trying again…' },
}

/** Show `state` in the shell's overlay; hidden once connected. */
export function renderStatus(root: HTMLElement, site: string, state: ShellState): void {
  root.dataset.state = state.kind === 'offline' ? state.reason : state.kind
  const badge = document.getElementById('ps-badge')
  if (badge) badge.hidden = !(state.kind === 'connected' && state.relayed)
  if (state.kind === 'connected') {
    root.hidden = true
    return
  }
  const key = state.kind === 'offline' ? state.reason : 'connecting'
  const text = TEXT[key]
  const detail = state.kind === 'offline' ? state.detail ?? 'unknown error' : ''
  const title = document.createElement('h1')
  title.textContent = text.title
  const body = document.createElement('p')
  body.textContent = text.body.replace('{site}', site).replace('{detail}', detail)
  root.replaceChildren(title, body)
  root.hidden = false
}
