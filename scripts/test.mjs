#!/usr/bin/env node
// The whole check, as CI runs it: lint, type-check, unit tests, build, and
// the browser tests in a loopback-only network namespace. Ends with one
// "N passed, N failed" line over the unit and end-to-end tests.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'

const steps = [
  ['lint', 'eslint', ['.']],
  ['typecheck app', 'nuxt', ['typecheck']],
  ['typecheck lib', 'tsc', ['-p', 'tsconfig.lib.json']],
  ['typecheck visitor', 'tsc', ['-p', 'visitor/tsconfig.json']],
  ['typecheck abuse suite', 'tsc', ['-p', 'tests/unit/server/abuse/tsconfig.json']],
  ['unit tests', 'vitest', ['run', '--reporter=default', '--reporter=json', '--outputFile=.cache/unit-results.json']],
  ['build', 'nuxt', ['build']],
  ['e2e tests', 'node', ['scripts/in-netns.mjs', 'playwright', 'test']],
]

mkdirSync('.cache', { recursive: true })
for (const file of ['.cache/unit-results.json', '.cache/e2e-results.json']) rmSync(file, { force: true })
const only = process.argv[2]
let failedStep = null
for (const [name, command, args] of steps) {
  if (only && !name.includes(only)) continue
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`)
  const started = Date.now()
  const result = spawnSync(command, args, { stdio: 'inherit' })
  console.log(`=== ${name}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  if (result.status !== 0) {
    failedStep = name
    break
  }
}

function counts(file, read) {
  if (!existsSync(file)) return { passed: 0, failed: 0 }
  return read(JSON.parse(readFileSync(file, 'utf8')))
}
const unit = counts('.cache/unit-results.json', r => ({ passed: r.numPassedTests ?? 0, failed: r.numFailedTests ?? 0 }))
const e2e = counts('.cache/e2e-results.json', r => ({ passed: r.stats?.expected ?? 0, failed: (r.stats?.unexpected ?? 0) + (r.stats?.flaky ?? 0) }))
if (failedStep) console.log(`\nfailed at: ${failedStep}`)
const failed = unit.failed + e2e.failed + (failedStep && unit.failed + e2e.failed === 0 ? 1 : 0)
console.log(`\nunit ${unit.passed} passed, e2e ${e2e.passed} passed`)
console.log(`tests: ${unit.passed + e2e.passed} passed, ${failed} failed`)
process.exit(failedStep ? 1 : 0)
