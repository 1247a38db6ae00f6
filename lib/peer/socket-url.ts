/** The WebSocket URL of `path` on the page's own origin: `wss:` under https, `ws:` otherwise. */
export function socketUrl(path: string, where: { protocol: string, host: string } = location): string {
  return `${where.protocol === 'https:' ? 'wss:' : 'ws:'}//${where.host}${path}`
}
