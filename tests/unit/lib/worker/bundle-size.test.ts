import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

// The handler sandbox starts the worker from a data: URL (lib/worker/sandbox-frame.ts), and Chromium
// refuses URLs over 2 MiB: the bundle, as modules/visitor-bundle.ts builds it, must stay well under.
const MAX_DATA_URL_BYTES = 2 * 1024 * 1024

describe('the handler worker bundle', () => {
  it('fits a data: URL', async () => {
    const result = await build({
      absWorkingDir: fileURLToPath(new URL('../../../..', import.meta.url)),
      entryPoints: ['lib/worker/entry.ts'],
      bundle: true, format: 'iife', minify: true, sourcemap: false, write: false, target: 'chrome111', logLevel: 'silent',
    })
    const bytes = result.outputFiles[0]?.contents.byteLength ?? Number.POSITIVE_INFINITY
    const dataUrlBytes = 'data:text/javascript;base64,'.length + Math.ceil(bytes / 3) * 4
    expect(dataUrlBytes).toBeLessThan(MAX_DATA_URL_BYTES * 0.75)
  }, 30_000)
})
