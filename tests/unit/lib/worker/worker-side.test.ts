import { describe, expect, it } from 'vitest'
import { PageMessageSchema, WorkerMessageSchema, type WorkerMessage } from '../../../../lib/worker/protocol'
import { RpcClient } from '../../../../lib/worker/rpc-client'
import { RPC_RESULTS } from '../../../../lib/worker/rpc-schema'
import { strayError, watchStrayErrors } from '../../../../lib/worker/worker-server'

describe('protocol', () => {
  it.each([
    ['a request without headers', { type: 'request', id: 1, method: 'GET', url: '/', body: null }],
    ['a request with a string body', { type: 'request', id: 1, method: 'GET', url: '/', headers: [], body: 'x' }],
    ['an init without a secret', { type: 'init', db: true }],
    ['a pull with a fractional id', { type: 'pull', id: 1.5 }],
    ['a request with 257 headers (the tunnel\'s limit is 256)', { type: 'request', id: 1, method: 'GET', url: '/', headers: Array.from({ length: 257 }, () => ['a', 'b']), body: null }],
  ])('the worker refuses %s', (_name, message) => {
    expect(PageMessageSchema.safeParse(message).success).toBe(false)
  })

  it.each([
    ['a status out of range', { type: 'response', id: 1, status: 42, headers: [], body: null, stream: false }],
    ['a chunk that is not bytes', { type: 'chunk', id: 1, data: 'abc' }],
    ['a response with a header name over 1 KiB', { type: 'response', id: 1, status: 200, headers: [['x'.repeat(1025), 'v']], body: null, stream: false }],
    ['a db call with a bad filter', { type: 'rpc', id: 1, call: { method: 'db.find', collection: 'x', filter: { $and: 3 } } }],
    ['a sessions.set without data', { type: 'rpc', id: 1, call: { method: 'sessions.set', sid: 'a' } }],
  ])('the page refuses %s', (_name, message) => {
    expect(WorkerMessageSchema.safeParse(message).success).toBe(false)
  })

  it('accepts a request with its body as an ArrayBuffer', () => {
    const message = { type: 'request', id: 0, method: 'POST', url: '/x', headers: [['a', 'b']], body: new ArrayBuffer(3) }
    expect(PageMessageSchema.safeParse(message).success).toBe(true)
  })
})

describe('RpcClient', () => {
  it('checks the answer against the method\'s schema, and keeps an error\'s status', async () => {
    const sent: WorkerMessage[] = []
    const rpc = new RpcClient(message => sent.push(message))
    const count = rpc.call(RPC_RESULTS['db.count'], { method: 'db.count', collection: 'x' })
    const wrong = rpc.call(RPC_RESULTS['db.count'], { method: 'db.count', collection: 'x' })
    const refused = rpc.call(RPC_RESULTS['db.get'], { method: 'db.get', collection: 'x', id: 'a' })
    expect(sent.map(message => message.type === 'rpc' ? message.id : -1)).toEqual([0, 1, 2])
    rpc.settle(0, { value: 7 })
    rpc.settle(1, { value: 'seven' })
    rpc.settle(2, { error: { name: 'VServerError', message: 'db.get: nope', status: 400 } })
    await expect(count).resolves.toBe(7)
    await expect(wrong).rejects.toThrow('wrong shape')
    await expect(refused).rejects.toMatchObject({ status: 400, message: 'db.get: nope' })
    expect(rpc.settle(0, { value: 1 })).toBe(false)
  })
})

describe('stray errors', () => {
  it('reports errors and rejections nobody handled, with module URLs shortened', () => {
    const scope = new EventTarget()
    const sent: WorkerMessage[] = []
    watchStrayErrors(scope, message => sent.push(message))
    const error = new Error('late')
    error.stack = 'Error: late\n    at tick (data:text/javascript;base64,QUJD:2:3)'
    scope.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { error }))
    scope.dispatchEvent(Object.assign(new Event('unhandledrejection', { cancelable: true }), { reason: 'nope' }))
    expect(sent).toEqual([
      { type: 'stray', error: { message: 'Error: late', stack: 'Error: late\n    at tick (<site module>:2:3)' } },
      { type: 'stray', error: { message: 'A non-Error value was thrown: nope' } },
    ])
    expect(strayError(new TypeError('x')).message).toBe('TypeError: x')
  })
})
