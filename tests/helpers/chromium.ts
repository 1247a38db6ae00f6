import { existsSync } from 'node:fs'

/** Flags for Debian's Chromium in tests: headless, quiet, and WebRTC over loopback. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--allow-loopback-in-peer-connection',
]

/** Debian's Chromium (`npx playwright install` cannot work here); CHROMIUM_PATH overrides. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (!existsSync(path)) throw new Error(`Chromium not found at ${path}: apt-get install chromium, or set CHROMIUM_PATH`)
  return path
}
