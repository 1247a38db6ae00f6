import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import puppeteer, { type Browser } from 'puppeteer-core'

/** Debian's Firefox ESR (`.ci/run` installs it); FIREFOX_PATH overrides. */
export function firefoxPath(): string {
  const path = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr'
  if (!existsSync(path)) throw new Error(`Firefox not found at ${path}: apt-get install firefox-esr, or set FIREFOX_PATH`)
  return path
}

/**
 * Preferences for Firefox as a test visitor: WebRTC over loopback (Firefox
 * leaves loopback candidates out unless told), plain host candidates (no mDNS
 * names, which a loopback-only namespace cannot resolve), and quiet: no
 * updates, telemetry or first-run pages.
 */
export const FIREFOX_PREFS = {
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'media.navigator.permission.disabled': true,
  'app.update.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
}

/** A fresh headless Firefox driven over WebDriver BiDi, with its own profile; `close` removes the profile too. */
export async function launchFirefox(): Promise<{ browser: Browser, close(): Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'ps-firefox-'))
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: firefoxPath(), headless: true, userDataDir: profile, extraPrefsFirefox: FIREFOX_PREFS })
  return {
    browser,
    async close() {
      await browser.close()
      await rm(profile, { recursive: true, force: true })
    },
  }
}
