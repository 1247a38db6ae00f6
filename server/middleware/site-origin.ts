// Every request on a site's origin (e.g. http://blog.localhost:3000/any/path)
// gets the visitor shell; the shell and its service worker then tunnel the
// site's own requests to a host tab. Nitro never serves a site's files.
const ASSETS: Record<string, { file: string, type: string }> = {
  '/_ps/shell.js': { file: 'shell.js', type: 'text/javascript; charset=utf-8' },
  '/_ps/sw.js': { file: 'sw.js', type: 'text/javascript; charset=utf-8' },
}

let warned = false

/** Runtime config `public.relayAfterMs` when it is a positive whole number of ms; otherwise the shell's default, said once in the log. */
function relayAfterMs(): number | undefined {
  const configured = Number(useRuntimeConfig().public.relayAfterMs)
  if (Number.isInteger(configured) && configured > 0) return configured
  if (!warned) console.warn(`[shell] public.relayAfterMs is ${JSON.stringify(useRuntimeConfig().public.relayAfterMs)}, not a positive number of ms: the shell's default applies`)
  warned = true
  return undefined
}

export default defineEventHandler(async (event) => {
  const site = siteOfRequest(event)
  if (!site) return
  const path = event.path.split('?')[0] ?? '/'
  if (path === '/_ps/signal') return
  const asset = ASSETS[path]
  if (asset) {
    const code = await useStorage('assets:visitor').getItem<string>(asset.file)
    if (typeof code !== 'string') throw createError({ statusCode: 500, statusMessage: `visitor bundle ${asset.file} is missing` })
    setResponseHeaders(event, { 'content-type': asset.type, 'cache-control': 'no-cache', 'service-worker-allowed': '/' })
    return code
  }
  if (path.startsWith('/_ps/')) throw createError({ statusCode: 404, statusMessage: 'Not found' })
  setResponseHeaders(event, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-peerserver': 'shell' })
  return visitorShellHtml(site, { relayAfterMs: relayAfterMs() })
})
