import { describe, expect, it } from 'vitest'
import { socketUrl } from '../../../../lib/peer/socket-url'

describe('socketUrl', () => {
  it.each([
    [{ protocol: 'http:', host: 'localhost:3000' }, 'ws://localhost:3000/_ps/signal'],
    [{ protocol: 'https:', host: 'class.example.edu' }, 'wss://class.example.edu/_ps/signal'],
  ])('%j → %s', (where, url) => {
    expect(socketUrl('/_ps/signal', where)).toBe(url)
  })
})
