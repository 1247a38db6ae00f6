// The app's own pages (studio, landing, join) are never framed by anyone: a site's page
// (or any other) cannot put the studio in a frame to click on it for the author. The
// handler sandbox (/_ps/sandbox) sends its own CSP, which lets only the studio frame it.
export default defineEventHandler((event) => {
  if (siteOfRequest(event)) return
  if ((event.path.split('?')[0] ?? '') === '/_ps/sandbox') return
  setResponseHeaders(event, { 'content-security-policy': `frame-ancestors 'none'`, 'x-frame-options': 'DENY' })
})
