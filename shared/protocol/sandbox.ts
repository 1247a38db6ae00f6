import { z } from 'zod'

/** Origins the authors may let handler code reach (the sandbox's connect-src), at most this many. */
export const MAX_SANDBOX_ORIGINS = 20

/** One origin handlers may reach: `https://api.example.com` or `http://localhost:8080`, nothing more (no path, no wildcard). */
export const SandboxOriginSchema = z.string().max(200).refine((text) => {
  if (!URL.canParse(text)) return false
  const url = new URL(text)
  // The URL parser lets '*' and other CSP syntax into a host; a CSP source must not get them.
  const plainHost = /^(\[[0-9a-f:.]+\]|[a-z0-9-]+(\.[a-z0-9-]+)*)$/.test(url.hostname)
  return (url.protocol === 'https:' || url.protocol === 'http:') && plainHost && url.origin === text
}, 'an origin is http(s)://host[:port], without a path')

/** The sandbox page's query: `connect`, the allowed origins separated by spaces. */
export const SandboxQuerySchema = z.object({
  connect: z.string().max(MAX_SANDBOX_ORIGINS * 201).default('')
    .transform(text => text.split(' ').filter(Boolean))
    .pipe(z.array(SandboxOriginSchema).max(MAX_SANDBOX_ORIGINS)),
})

/** The address of the handler sandbox letting handlers reach `origins` (none by default). */
export function sandboxUrl(origins: readonly string[] = []): string {
  return origins.length > 0 ? `/_ps/sandbox?${new URLSearchParams({ connect: origins.join(' ') })}` : '/_ps/sandbox'
}
