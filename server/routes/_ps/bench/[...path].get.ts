import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.png': 'image/png',
  '.bin': 'application/octet-stream',
}

// The benchmark's baseline: the same files a host tab serves, served
// directly by Nitro over HTTP. Only on when PS_BENCH_STATIC_DIR is set.
export default defineEventHandler(async (event) => {
  const root = process.env.PS_BENCH_STATIC_DIR
  if (!root) throw createError({ statusCode: 404, statusMessage: 'Not found' })
  const relative = normalize(getRouterParam(event, 'path') ?? '').replace(/^(\.\.(\/|$))+/, '')
  const file = join(root, relative)
  const info = await stat(file).catch(() => null)
  if (!info?.isFile()) throw createError({ statusCode: 404, statusMessage: 'Not found' })
  setResponseHeaders(event, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': 'no-store',
  })
  return readFile(file)
})
