// `npm run bench`: each figure is printed beside the baseline it is compared
// to, both measured in this run. BENCH_OUT=file.json also writes them.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, chromiumPath } from '../helpers/chromium.ts'
import { startServer } from '../helpers/server.ts'
import { twentyResourcePage, writeFiles } from './site-files.ts'
import { benchTunnel } from './tunnel.ts'

if (!existsSync('.output/server/index.mjs')) {
  console.log('building the app first (npm run build)…')
  if (spawnSync('nuxt', ['build'], { stdio: 'inherit' }).status !== 0) process.exit(1)
}

const pageFiles = twentyResourcePage()
const staticDir = mkdtempSync(join(tmpdir(), 'peerserver-bench-'))
writeFiles(staticDir, pageFiles)
const server = await startServer({ PS_BENCH_STATIC_DIR: staticDir })
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
const f = (n: number, digits = 1) => n.toFixed(digits)
try {
  const tunnel = await benchTunnel(browser, server, pageFiles)
  console.log('\n== tunnel (median of runs) ==')
  console.log(`page load, 20 resources: tunnel ${f(tunnel.pageLoadTunnelMs)} ms | direct HTTP (Nitro) ${f(tunnel.pageLoadDirectMs)} ms | ratio ${f(tunnel.pageLoadRatio, 2)}× (target ≤ 1.5×)`)
  console.log(`bulk 20 MiB download: tunnel ${f(tunnel.bulkTunnelMBps)} MB/s | raw data channel ${f(tunnel.bulkRawMBps)} MB/s | ratio ${f(tunnel.bulkRatio * 100)} % (target ≥ 80 %)`)
  if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, `${JSON.stringify({ tunnel }, null, 2)}\n`)
}
finally {
  await browser.close()
  await server.stop()
}
