import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { build, type Plugin } from 'esbuild'
import { RUNNER_CONFIG_ENV, RunnerEventSchema, type RunnerConfig, type SignalingFigures } from './signaling-messages.ts'

// The signaling server under load, in Node only (no browser, no build):
// PeerServer's /_ps/signal route (nitropack's h3 and crossws, as the abuse
// suite mounts it) in a process of its own, beside a bare `ws` echo server
// measured the same way in the same run. See signaling-runner.ts.

const OUT_DIR = resolve('node_modules/.cache/peerserver/bench')
const RUNNER_TIMEOUT_MS = 120_000

/**
 * Packages the project's own files import stay external (resolved from the
 * repository at run time); what a package imports is bundled, so nitropack's
 * nested h3 and crossws keep their own nested dependencies (cookie-es 1, not
 * the top-level 3).
 */
const projectPackagesExternal: Plugin = {
  name: 'project-packages-external',
  setup(plugin) {
    plugin.onResolve({ filter: /^[^./]/ }, args => args.importer.includes('/node_modules/') ? undefined : { path: args.path, external: true })
  },
}

/** The runner and server entries as ESM files (plain Node cannot import the server's extensionless paths). */
async function bundle(): Promise<{ runner: string, server: string }> {
  const entries = { runner: 'tests/bench/signaling-runner.ts', server: 'tests/bench/signaling-server.ts' }
  await build({
    entryPoints: Object.entries(entries).map(([out, entry]) => ({ in: entry, out: `signaling-${out}` })),
    outdir: OUT_DIR,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    plugins: [projectPackagesExternal],
    // Bundled CommonJS packages call require().
    banner: { js: 'import { createRequire as __benchCreateRequire } from \'node:module\'; const require = __benchCreateRequire(import.meta.url);' },
    logLevel: 'warning',
  })
  return { runner: resolve(OUT_DIR, 'signaling-runner.mjs'), server: resolve(OUT_DIR, 'signaling-server.mjs') }
}

/** 10,000 idle sockets, 1,000 relayed sessions, relay messages a second: PeerServer's signaling server beside a bare `ws` server. */
export async function benchSignaling(): Promise<SignalingFigures> {
  const { runner, server } = await bundle()
  const config: RunnerConfig = { serverBundle: server, idleSockets: 10_000, sessions: 1_000, visitorsPerHost: 10, throughputMs: 1_000 }
  // Raise the soft limit on open files to the hard one for the runner and the servers it forks (Node cannot).
  const script = 'hard=$(ulimit -Hn); [ "$hard" = unlimited ] && hard=1048576; ulimit -n "$hard" 2>/dev/null; PS_OPEN_FILES=$(ulimit -n) exec "$0" "$@"'
  const child = spawn('sh', ['-c', script, process.execPath, runner], { env: { ...process.env, [RUNNER_CONFIG_ENV]: JSON.stringify(config) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  return await new Promise<SignalingFigures>((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      fail(new Error(`the signaling bench did not finish in ${RUNNER_TIMEOUT_MS / 1000} s`))
    }, RUNNER_TIMEOUT_MS)
    child.once('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`the signaling bench's runner exited (${code}) without figures`))
    })
    child.on('message', (message: unknown) => {
      const event = RunnerEventSchema.safeParse(message)
      if (!event.success) return fail(new Error(`bad event from the signaling runner: ${JSON.stringify(message).slice(0, 200)}`))
      clearTimeout(timer)
      if (event.data.type === 'failed') return fail(new Error(event.data.message))
      done(event.data.figures)
    })
  })
}
