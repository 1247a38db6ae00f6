// A zip chosen on the landing page for a new site, handed to the studio across
// the client-side navigation (it never leaves this tab's memory).
let pending: { site: string, bytes: Uint8Array, name: string } | null = null

/** Keep `bytes` (a zip called `name`) for the studio of `site` to import when it opens. */
export function setPendingImport(site: string, bytes: Uint8Array, name: string) {
  pending = { site, bytes, name }
}

/** The zip waiting for `site`, once. */
export function takePendingImport(site: string): { bytes: Uint8Array, name: string } | null {
  if (pending?.site !== site) return null
  const taken = pending
  pending = null
  return taken
}
