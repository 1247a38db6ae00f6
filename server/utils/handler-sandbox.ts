import { createHash } from 'node:crypto'

/** The inline script as it goes in the page: a `</script` inside it cannot end the tag. */
function inline(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1')
}

/**
 * The handler sandbox page (lib/worker/sandbox-frame.ts inlined) and its
 * CSP: only that script, the worker (a data: URL) and the site's own
 * modules (data: or blob: URLs made in the worker) run, and nothing is
 * evaluated from strings; handlers reach `connect` origins and nothing else; the
 * page is sandboxed (opaque origin) even if opened without its iframe, and
 * only the studio may frame it.
 */
export function handlerSandboxPage(frameScript: string, connect: readonly string[]): { html: string, csp: string } {
  const script = inline(frameScript)
  const hash = createHash('sha256').update(script).digest('base64')
  const csp = [
    `default-src 'none'`,
    `script-src 'sha256-${hash}' blob: data:`,
    `worker-src data:`,
    `connect-src ${connect.length > 0 ? connect.join(' ') : `'none'`}`,
    `base-uri 'none'`,
    `form-action 'none'`,
    `frame-ancestors 'self'`,
    `sandbox allow-scripts`,
  ].join('; ')
  return { html: `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Handler sandbox</title><script>${script}</script></head><body></body></html>\n`, csp }
}
