import { appendFileSync } from 'node:fs'

// An access log of what Nitro itself answered, one JSON line per request,
// when PS_ACCESS_LOG names a file. The end-to-end tests read it to prove a
// visited site's paths never reach Nitro (only the shell and /_ps/ do).
export default defineNitroPlugin((nitro) => {
  const file = process.env.PS_ACCESS_LOG
  if (!file) return
  nitro.hooks.hook('afterResponse', (event: Parameters<typeof getRequestHost>[0]) => {
    const line = JSON.stringify({
      host: getRequestHost(event),
      method: event.method,
      path: event.path,
      status: getResponseStatus(event),
      shell: getResponseHeader(event, 'x-peerserver') === 'shell',
    })
    appendFileSync(file, `${line}\n`)
  })
})
