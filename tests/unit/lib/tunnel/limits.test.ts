import { afterEach, describe, expect, it, vi } from 'vitest'
import { ResetCode } from '../../../../shared/protocol/frames'
import { httpStatusOf, TunnelError } from '../../../../lib/tunnel/errors'
import { BodyBudget, DEFAULT_MAX_CONCURRENT_STREAMS } from '../../../../lib/tunnel/limits'
import type { TunnelReply, TunnelRequest } from '../../../../lib/tunnel/server'
import { createTunnelPair, echo, readAll } from '../../../helpers/tunnel-pair'

const GET = { method: 'GET', url: '/', headers: [] }
const post = (url: string) => ({ method: 'POST', url, headers: [] })

/** A handler that reads each body whole, then holds the request until the test answers it. */
function holding() {
  const held: Array<{ url: string, bytes: number, answer: () => void }> = []
  const handler = async (request: TunnelRequest): Promise<TunnelReply> => {
    const body = await readAll(request.body)
    await new Promise<void>(resolve => held.push({ url: request.head.url, bytes: body.byteLength, answer: resolve }))
    return { head: { status: 200, headers: [] }, body: null }
  }
  return { held, handler }
}

/** The reset code a request failed with (it must fail). */
async function resetCodeOf(pending: Promise<unknown>): Promise<number | undefined> {
  const error: unknown = await pending.then(() => 'answered', (e: unknown) => e)
  expect(error).toBeInstanceOf(TunnelError)
  return error instanceof TunnelError ? error.resetCode : undefined
}

describe('BodyBudget', () => {
  it('takes up to its limit, refuses a byte more without taking it, and gives back', () => {
    const budget = new BodyBudget(100)
    expect(budget.take(60)).toBe(true)
    expect(budget.take(40)).toBe(true)
    expect(budget.take(1)).toBe(false)
    expect(budget.bytes).toBe(100)
    budget.release(40)
    expect(budget.take(40)).toBe(true)
    expect(budget.peak).toBe(100)
  })
})

describe('httpStatusOf', () => {
  it.each([
    ['TIMEOUT', 408, new TunnelError('reset', 'slow', { resetCode: ResetCode.TIMEOUT })],
    ['TOO_LARGE', 413, new TunnelError('reset', 'big', { resetCode: ResetCode.TOO_LARGE })],
    ['REFUSED_STREAM', 429, new TunnelError('reset', 'many', { resetCode: ResetCode.REFUSED_STREAM })],
    ['OVERLOADED', 429, new TunnelError('reset', 'full', { resetCode: ResetCode.OVERLOADED })],
    ['INTERNAL', 503, new TunnelError('reset', 'failed', { resetCode: ResetCode.INTERNAL })],
    ['a closed tunnel', 503, new TunnelError('closed', 'gone')],
    ['any other error', 503, new Error('boom')],
  ])('%s is %i', (_name, status, error) => {
    expect(httpStatusOf(error)).toBe(status)
  })
})

describe('tunnel limits: concurrent streams', () => {
  it.each([
    ['the default', undefined, DEFAULT_MAX_CONCURRENT_STREAMS],
    ['a configured 3', 3, 3],
  ])('%s: the limit\'s requests are served, one more is refused (429) until one is done', async (_name, maxConcurrentStreams, limit) => {
    const { held, handler } = holding()
    const { client, server } = createTunnelPair(handler, { server: { maxConcurrentStreams } })
    const first = Array.from({ length: limit }, (_, i) => client.request({ ...GET, url: `/${i}` }))
    await vi.waitFor(() => expect(held).toHaveLength(limit))
    const refused = client.request(GET)
    expect(await resetCodeOf(refused)).toBe(ResetCode.REFUSED_STREAM)
    expect(httpStatusOf(await refused.catch((e: unknown) => e))).toBe(429)
    expect(server.openStreams).toBe(limit)
    held[0]!.answer()
    expect((await first[0]!).head.status).toBe(200)
    await vi.waitFor(() => expect(server.openStreams).toBe(limit - 1))
    const next = client.request({ ...GET, url: '/next' })
    await vi.waitFor(() => expect(held.map(h => h.url)).toContain('/next'))
    for (const h of held) h.answer()
    expect((await next).head.status).toBe(200)
    await Promise.all(first)
    await vi.waitFor(() => expect(server.openStreams).toBe(0))
  })
})

describe('tunnel limits: request bytes in flight', () => {
  it('a body of exactly maxBodyBytes is served, one byte more is refused (413)', async () => {
    const { client } = createTunnelPair(echo, { server: { maxBodyBytes: 100_000 } })
    expect((await readAll((await client.request(post('/max'), new Uint8Array(100_000))).body)).byteLength).toBe(100_000)
    const over = client.request(post('/over'), new Uint8Array(100_001))
    expect(await resetCodeOf(over)).toBe(ResetCode.TOO_LARGE)
    expect(httpStatusOf(await over.catch((e: unknown) => e))).toBe(413)
  })

  it('a connection holds bodies up to maxConnectionBodyBytes in all; a byte more is refused (429) until a request is done', async () => {
    const { held, handler } = holding()
    const { client, server } = createTunnelPair(handler, { server: { maxConnectionBodyBytes: 200_000 } })
    const a = client.request(post('/a'), new Uint8Array(120_000))
    const b = client.request(post('/b'), new Uint8Array(80_000))
    await vi.waitFor(() => expect(held.map(h => h.bytes).sort()).toEqual([120_000, 80_000]))
    expect(server.bodyBudget.bytes).toBe(200_000)
    const over = client.request(post('/c'), new Uint8Array(1))
    expect(await resetCodeOf(over)).toBe(ResetCode.OVERLOADED)
    expect(httpStatusOf(await over.catch((e: unknown) => e))).toBe(429)
    held.find(h => h.url === '/a')!.answer()
    expect((await a).head.status).toBe(200)
    await vi.waitFor(() => expect(server.bodyBudget.bytes).toBe(80_000))
    const after = client.request(post('/d'), new Uint8Array(1))
    await vi.waitFor(() => expect(held.map(h => h.url)).toContain('/d'))
    for (const h of held) h.answer()
    expect((await after).head.status).toBe(200)
    expect((await b).head.status).toBe(200)
    await vi.waitFor(() => expect(server.bodyBudget.bytes).toBe(0))
  })

  it('all connections of a host share its budget: up to the limit served, a byte more refused (429) on any of them', async () => {
    const { held, handler } = holding()
    const hostBudget = new BodyBudget(150_000)
    const one = createTunnelPair(handler, { server: { hostBudget } })
    const two = createTunnelPair(handler, { server: { hostBudget } })
    const a = one.client.request(post('/a'), new Uint8Array(100_000))
    const b = two.client.request(post('/b'), new Uint8Array(50_000))
    await vi.waitFor(() => expect(held).toHaveLength(2))
    expect(hostBudget.bytes).toBe(150_000)
    expect(await resetCodeOf(two.client.request(post('/c'), new Uint8Array(1)))).toBe(ResetCode.OVERLOADED)
    expect(await resetCodeOf(one.client.request(post('/d'), new Uint8Array(1)))).toBe(ResetCode.OVERLOADED)
    const get = one.client.request({ ...GET, url: '/get' }) // no body: served while the budget is full
    await vi.waitFor(() => expect(held.map(h => h.url)).toContain('/get'))
    for (const h of held) h.answer()
    expect((await get).head.status).toBe(200)
    await Promise.all([a, b])
    await vi.waitFor(() => expect(hostBudget.bytes).toBe(0))
  })
})

describe('tunnel limits: the request deadline', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  /** A request whose body stays open until `end()`; resolves `seen` once the host's handler has it. */
  function openRequest(deadlineMs: number) {
    let seen!: () => void
    const arrived = new Promise<void>((resolve) => {
      seen = resolve
    })
    const { client } = createTunnelPair(async (request) => {
      seen()
      return echo(request)
    }, { server: { requestDeadlineMs: deadlineMs } })
    let controller!: ReadableStreamDefaultController<Uint8Array>
    const body = new ReadableStream<Uint8Array>({
      start: (c) => {
        controller = c
      },
    })
    const response = client.request(post('/slow'), body)
    return { arrived, response, end: () => controller.close(), client }
  }

  it('a body that ends 1 ms before the deadline is served', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { arrived, response, end } = openRequest(1000)
    await arrived
    vi.advanceTimersByTime(999)
    end()
    expect((await response).head.status).toBe(200)
    vi.advanceTimersByTime(10_000)
  })

  it('a request that has not ended at the deadline is reset (TIMEOUT, 408)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { arrived, response } = openRequest(1000)
    await arrived
    vi.advanceTimersByTime(1000)
    expect(await resetCodeOf(response)).toBe(ResetCode.TIMEOUT)
    expect(httpStatusOf(await response.catch((e: unknown) => e))).toBe(408)
  })

  it('the deadline is for the request\'s arrival: a handler may take longer once END is in', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    let seen!: () => void
    const arrived = new Promise<void>((resolve) => {
      seen = resolve
    })
    let answer!: () => void
    const { client } = createTunnelPair(async (request) => {
      await readAll(request.body)
      seen()
      await new Promise<void>((resolve) => {
        answer = resolve
      })
      return { head: { status: 200, headers: [] }, body: null }
    }, { server: { requestDeadlineMs: 1000 } })
    const response = client.request(GET)
    await arrived
    vi.advanceTimersByTime(5000)
    answer()
    expect((await response).head.status).toBe(200)
  })
})
