import { existsSync } from 'node:fs'

/** The e2e tests run against the built server: `npm test` builds it first. */
export default function globalSetup(): void {
  if (!existsSync('.output/server/index.mjs')) throw new Error('no built server in .output/: run `npm run build` first')
}
