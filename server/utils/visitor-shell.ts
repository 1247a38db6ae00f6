function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, ch => `&#${ch.charCodeAt(0)};`)
}

/** The visitor shell page: the one document Nitro serves on a site's origin, whatever the path. */
export function visitorShellHtml(site: string, options: { relayAfterMs?: number } = {}): string {
  // JSON inside <script>: '<' is escaped so no value can close the tag.
  const config = JSON.stringify({ site, signalPath: '/_ps/signal', ...(options.relayAfterMs === undefined ? {} : { relayAfterMs: options.relayAfterMs }) }).replace(/</g, '\\u003c')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(site)}</title>
<style>
html,body{margin:0;height:100%;background:#fff}
#ps-site{position:fixed;inset:0;width:100%;height:100%;border:0;display:block}
#ps-status{position:fixed;inset:0;z-index:1;background:#f7f7f8;color:#222;font:16px/1.5 system-ui,sans-serif;padding:15vh 1.5rem 0;text-align:center}
#ps-status h1{font-size:1.6rem;margin:0 0 .5rem}
#ps-status p{max-width:34rem;margin:0 auto;color:#555}
#ps-badge{position:fixed;right:.5rem;bottom:.5rem;z-index:2;background:#222;color:#fff;font:12px system-ui,sans-serif;padding:.2rem .5rem;border-radius:.3rem;opacity:.8}
</style>
<script type="application/json" id="ps-config">${config}</script>
<script type="module" src="/_ps/shell.js"></script>
</head>
<body><div id="ps-status" role="status" aria-live="polite"><h1>Connecting…</h1></div><div id="ps-badge" role="status" hidden></div></body>
</html>
`
}
