import type { ConnectionRoute } from '../lib/peer/ice-route'

/** What the visitor sees while the site itself cannot be shown. */
export type ShellState =
  | { kind: 'connecting' }
  | { kind: 'connected', route: ConnectionRoute }
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
  showRoute(state.kind === 'connected' ? state.route : null)
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

/** The route badge's words, and its tooltip. */
const ROUTES: Record<ConnectionRoute, { text: string, title: string }> = {
  direct: { text: 'Direct connection', title: 'This page talks to the host\'s browser directly (peer-to-peer WebRTC)' },
  turn: { text: 'Via a TURN server', title: 'No direct path to the host\'s browser: WebRTC goes through a TURN server' },
  relay: { text: 'Relayed through the server', title: 'No WebRTC connection to the host could be made: traffic goes through the signaling server' },
}

/** How long the badge stays for a direct connection (TURN and the relay are slower, and stay said). */
const DIRECT_BADGE_MS = 4_000
let badgeTimer: ReturnType<typeof setTimeout> | undefined

/** Say how this page reaches its host (`#ps-badge[data-route]`); null: not connected. */
function showRoute(route: ConnectionRoute | null): void {
  const badge = document.getElementById('ps-badge')
  if (!badge) return
  clearTimeout(badgeTimer)
  if (route === null) {
    badge.hidden = true
    delete badge.dataset.route
    return
  }
  badge.dataset.route = route
  badge.textContent = ROUTES[route].text
  badge.title = ROUTES[route].title
  badge.hidden = false
  if (route === 'direct') badgeTimer = setTimeout(() => { badge.hidden = true }, DIRECT_BADGE_MS)
}
