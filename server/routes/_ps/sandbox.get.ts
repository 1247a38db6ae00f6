import { SandboxQuerySchema } from '../../../shared/protocol/sandbox'
import { handlerSandboxPage } from '../../utils/handler-sandbox'

// GET /_ps/sandbox?connect=<origins>: the frame the studio runs site handlers in (lib/worker/sandbox-frame.ts).
export default defineEventHandler(async (event) => {
  const query = SandboxQuerySchema.safeParse(getQuery(event))
  if (!query.success) throw createError({ statusCode: 400, statusMessage: `Bad sandbox origins: ${query.error.issues[0]?.message ?? 'invalid'}` })
  const script = await useStorage('assets:visitor').getItem<string>('sandbox-frame.js')
  if (typeof script !== 'string') throw createError({ statusCode: 500, statusMessage: 'the sandbox bundle is missing' })
  const { html, csp } = handlerSandboxPage(script, query.data.connect)
  setResponseHeaders(event, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' })
  return html
})
