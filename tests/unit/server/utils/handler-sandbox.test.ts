import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { handlerSandboxPage } from '../../../../server/utils/handler-sandbox'
import { MAX_SANDBOX_ORIGINS, SandboxQuerySchema, sandboxUrl } from '../../../../shared/protocol/sandbox'

function directives(csp: string): Map<string, string> {
  return new Map(csp.split('; ').map((part) => {
    const [name = '', ...values] = part.split(' ')
    return [name, values.join(' ')]
  }))
}

describe('the handler sandbox page', () => {
  it('runs only its own inline script (by hash), denies the network, and is sandboxed', () => {
    const { html, csp } = handlerSandboxPage('console.log("frame")', [])
    const policy = directives(csp)
    const hash = createHash('sha256').update('console.log("frame")').digest('base64')
    expect(html).toContain('<script>console.log("frame")</script>')
    expect(policy.get('default-src')).toBe(`'none'`)
    expect(policy.get('script-src')).toBe(`'sha256-${hash}' blob: data:`)
    expect(policy.get('script-src')).not.toContain('unsafe')
    expect(policy.get('worker-src')).toBe('data:')
    expect(policy.get('connect-src')).toBe(`'none'`)
    expect(policy.get('sandbox')).toBe('allow-scripts')
    expect(policy.get('frame-ancestors')).toBe(`'self'`)
  })

  it('lets handlers reach exactly the origins the authors allow', () => {
    const { csp } = handlerSandboxPage('x', ['https://api.example.com', 'http://localhost:8080'])
    expect(directives(csp).get('connect-src')).toBe('https://api.example.com http://localhost:8080')
  })

  it('a </script> inside the frame script cannot end the tag, and the hash covers what is served', () => {
    const { html, csp } = handlerSandboxPage('const s = "</script><script>alert(1)"', [])
    expect(html.match(/<\/script>/g)).toHaveLength(1)
    const inline = html.slice(html.indexOf('<script>') + 8, html.indexOf('</script>'))
    expect(directives(csp).get('script-src')).toContain(createHash('sha256').update(inline).digest('base64'))
  })
})

describe('the sandbox address', () => {
  it('carries the allowed origins and reads them back', () => {
    const url = new URL(sandboxUrl(['https://a.example', 'https://b.example']), 'http://studio.test')
    expect(SandboxQuerySchema.parse(Object.fromEntries(url.searchParams))).toEqual({ connect: ['https://a.example', 'https://b.example'] })
    expect(sandboxUrl()).toBe('/_ps/sandbox')
    expect(SandboxQuerySchema.parse({})).toEqual({ connect: [] })
  })

  it.each([
    ['a CSP keyword', `'unsafe-eval'`],
    ['a directive smuggled in', 'https://a.example;script-src'],
    ['a wildcard', '*'],
    ['a host wildcard', 'https://*.example.com'],
    ['a path', 'https://a.example/x'],
    ['too many origins', Array.from({ length: MAX_SANDBOX_ORIGINS + 1 }, (_, i) => `https://h${i}.example`).join(' ')],
  ])('refuses %s', (_case, connect) => {
    expect(SandboxQuerySchema.safeParse({ connect }).success).toBe(false)
  })
})
