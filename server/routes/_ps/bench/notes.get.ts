import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import Mustache from 'mustache'

// The dynamic benchmark's baseline: the same Mustache view of the same 20
// documents the host tab renders, rendered by Nitro from memory, as a plain
// server would. Only on when PS_BENCH_DYNAMIC_DIR (the bench's site folder) is set.
let loaded: Promise<{ view: string, notes: unknown[] }> | undefined

export default defineEventHandler(async (event) => {
  const root = process.env.PS_BENCH_DYNAMIC_DIR
  if (!root) throw createError({ statusCode: 404, statusMessage: 'Not found' })
  loaded ??= Promise.all([readFile(join(root, 'views/notes.mustache'), 'utf8'), readFile(join(root, 'notes.json'), 'utf8')])
    .then(([view, notes]) => ({ view, notes: JSON.parse(notes) as unknown[] }))
  const { view, notes } = await loaded
  setResponseHeaders(event, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
  return Mustache.render(view, { notes })
})
