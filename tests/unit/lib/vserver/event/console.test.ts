import { afterEach, describe, expect, it } from 'vitest'
import { beginCapture, endCapture, installConsoleCapture, runCaptured, type ConsoleLine } from '../../../../../lib/vserver/event'

function fakeConsole() {
  const seen: unknown[][] = []
  const record = (...args: unknown[]) => {
    seen.push(args)
  }
  const target = { ...console, log: record, info: record, warn: record, error: record, debug: record }
  installConsoleCapture({ console: target })
  return { target, seen }
}

const texts = (lines: ConsoleLine[]) => lines.map(line => `${line.level}:${line.text}`)
const captures: Array<ReturnType<typeof beginCapture>> = []

afterEach(() => {
  for (const capture of captures.splice(0)) endCapture(capture)
})

function begin() {
  const capture = beginCapture()
  captures.push(capture)
  return capture
}

describe('console capture', () => {
  it('passes output through when no request is in flight', () => {
    const { target, seen } = fakeConsole()
    target.log('hello', 1)
    expect(seen).toEqual([['hello', 1]])
  })

  it('captures the only request in flight, across awaits, formatting values as text', async () => {
    const { target, seen } = fakeConsole()
    const capture = begin()
    target.log('user', { id: 1 }, [2], null)
    await Promise.resolve()
    target.warn(new Error('careful'))
    endCapture(capture)
    target.log('after')
    expect(texts(capture.result())).toEqual(['log:user {"id":1} [2] null', expect.stringMatching(/^warn:Error: careful/)])
    expect(seen).toEqual([['after']])
  })

  it('tells concurrent requests apart while their handlers run synchronously', () => {
    const { target, seen } = fakeConsole()
    const a = begin()
    const b = begin()
    runCaptured(a, () => target.log('from a'))
    runCaptured(b, () => target.info('from b'))
    target.log('after an await: unknown owner')
    expect(texts(a.result())).toEqual(['log:from a'])
    expect(texts(b.result())).toEqual(['info:from b'])
    expect(seen).toEqual([['after an await: unknown owner']])
  })

  it('caps the lines of one request', () => {
    const { target } = fakeConsole()
    const capture = begin()
    runCaptured(capture, () => {
      for (let i = 0; i < 250; i++) target.log(i)
    })
    const lines = capture.result()
    expect(lines).toHaveLength(201)
    expect(lines.at(-1)?.text).toBe('(50 more console lines were dropped)')
  })

  it('installs once per console', () => {
    const { target, seen } = fakeConsole()
    installConsoleCapture({ console: target })
    target.log('once')
    expect(seen).toEqual([['once']])
  })
})
