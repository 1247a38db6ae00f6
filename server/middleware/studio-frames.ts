// The app's own pages (studio, landing, join, the API) are never framed by anyone: a
// site's page (or any other) cannot put the studio in a frame to click on it for the
// author. PeerServer's own /_ps/ paths say for themselves: the handler sandbox lets
// only the studio frame it, and the benchmark's baseline files are framed by its page.
export default defineEventHandler((event) => {
  if (siteOfRequest(event)) return
  if (event.path.startsWith('/_ps/')) return
  setResponseHeaders(event, { 'content-security-policy': `frame-ancestors 'none'`, 'x-frame-options': 'DENY' })
})
