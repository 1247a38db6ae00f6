// GET /_ps/handler-worker.js: the handler worker's code (lib/worker/entry.ts), which the studio hands to its sandbox.
export default defineEventHandler(async (event) => {
  const code = await useStorage('assets:visitor').getItem<string>('handler-worker.js')
  if (typeof code !== 'string') throw createError({ statusCode: 500, statusMessage: 'the handler worker bundle is missing' })
  setResponseHeaders(event, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' })
  return code
})
