#!/usr/bin/env node
// Run a command inside a loopback-only network namespace, so browser tests
// and benchmarks can only ever reach 127.0.0.1 (no ICE candidate on another
// interface is tried). Root uses `unshare -n`; others `unshare -rn` where
// user namespaces are allowed; elsewhere the command runs plainly.
import { spawnSync } from 'node:child_process'

const [command, ...args] = process.argv.slice(2)
if (!command) {
  console.error('usage: in-netns.mjs <command> [args…]')
  process.exit(2)
}

function run(cmd, cmdArgs, env = process.env) {
  const result = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env })
  if (result.error) {
    console.error(`[in-netns] cannot run ${cmd}: ${result.error.message}`)
    return 127
  }
  return result.status ?? 1
}

function unshareFlags() {
  if (process.env.PS_NETNS === 'off') return null
  const flags = process.getuid?.() === 0 ? ['-n'] : ['-rn']
  const probe = spawnSync('unshare', [...flags, 'true'], { stdio: 'ignore' })
  return probe.status === 0 ? flags : null
}

const flags = process.env.PS_IN_NETNS ? null : unshareFlags()
if (!flags) {
  if (!process.env.PS_IN_NETNS) console.warn('[in-netns] no network namespace available here: running with the host network')
  process.exit(run(command, args))
}
const script = 'ip link set lo up && exec "$@"'
process.exit(run('unshare', [...flags, 'sh', '-c', script, 'sh', command, ...args], { ...process.env, PS_IN_NETNS: '1' }))
