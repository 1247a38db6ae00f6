import { afterEach, describe, expect, it } from 'vitest'
import { ShellLine } from '../../../visitor/shell-line'
import type { TunnelRequestMessage } from '../../../visitor/messages'

const request = (url: string, body: ArrayBuffer | null = null): TunnelRequestMessage => ({ type: 'ps-request', head: { method: body ? 'POST' : 'GET', url, headers: [] }, body })
const ports: MessagePort[] = []
afterEach(() => {
  for (const port of ports.splice(0)) port.close()
})

/** A line, and the shell's end of it: `answer` sees each request and says what to post back. */
function line(answer: (message: TunnelRequestMessage & { id: number }) => unknown | Promise<unknown>) {
  const { port1, port2 } = new MessageChannel()
  ports.push(port1, port2)
  let closed = 0
  const seen: Array<TunnelRequestMessage & { id: number }> = []
  port2.onmessage = async (event: MessageEvent<TunnelRequestMessage & { id: number }>) => {
    seen.push(event.data)
    const reply = await answer(event.data)
    if (reply !== undefined) port2.postMessage(reply)
  }
  return { line: new ShellLine(port1, () => closed++), shell: port2, seen, closes: () => closed }
}

describe('a shell\'s line to its service worker', () => {
  it('answers each request by its id, in whatever order the shell answers them, with the body transferred', async () => {
    const { line: worker, seen } = line(async (message) => {
      if (message.head.url === '/slow') await new Promise(resolve => setTimeout(resolve, 30))
      return { type: 'ps-response', id: message.id, head: { status: 200, headers: [['x-url', message.head.url]] }, body: null }
    })
    const body = new Uint8Array([1, 2, 3]).buffer
    const [slow, fast] = [worker.ask(request('/slow', body), 1000), worker.ask(request('/fast'), 1000)]
    const order: string[] = []
    await Promise.all([slow.then(() => order.push('slow')), fast.then(() => order.push('fast'))])
    expect(order).toEqual(['fast', 'slow'])
    expect((await slow)?.type === 'ps-response' && (await slow)).toMatchObject({ head: { headers: [['x-url', '/slow']] } })
    expect(body.byteLength).toBe(0) // transferred, not copied
    expect(new Uint8Array(seen[0]!.body!)).toEqual(new Uint8Array([1, 2, 3]))
    expect(seen.map(message => message.id)).toEqual([0, 1])
  })

  it('a malformed reply is null (the visitor gets a 504), and one naming no request is ignored', async () => {
    const { line: worker } = line(message => (message.head.url === '/bad' ? { type: 'ps-response', id: message.id, head: { status: 'two hundred' } } : { nothing: 'here' }))
    expect(await worker.ask(request('/bad'), 1000)).toBeNull()
    expect(await worker.ask(request('/unnamed'), 50)).toBeNull()
  })

  it('no reply within the time limit is null', async () => {
    const { line: worker } = line(() => undefined)
    const started = performance.now()
    expect(await worker.ask(request('/never'), 40)).toBeNull()
    expect(performance.now() - started).toBeGreaterThanOrEqual(35)
  })

  it('closed, it answers what waits on it with null, says so once, and sends nothing more', async () => {
    const { line: worker, seen, closes } = line(() => undefined)
    const waiting = worker.ask(request('/a'), 5000)
    worker.close()
    worker.close()
    expect(await waiting).toBeNull()
    expect(worker.open).toBe(false)
    expect(await worker.ask(request('/b'), 5000)).toBeNull()
    expect(closes()).toBe(1)
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(seen.map(message => message.head.url)).not.toContain('/b')
  })
})
