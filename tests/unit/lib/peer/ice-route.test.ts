import { describe, expect, it } from 'vitest'
import { iceRoute } from '../../../../lib/peer/ice-route'

/** A peer connection whose getStats() reports `stats`. */
const withStats = (stats: Array<Record<string, unknown> & { id: string, type: string }>) =>
  ({ getStats: async () => new Map(stats.map(stat => [stat.id, stat])) }) as unknown as RTCPeerConnection

const candidates = (local: string, remote: string) => [
  { id: 'L', type: 'local-candidate', candidateType: local },
  { id: 'R', type: 'remote-candidate', candidateType: remote },
  { id: 'L2', type: 'local-candidate', candidateType: 'relay' },
]

describe('iceRoute', () => {
  it.each([
    ['host', 'host', 'direct'],
    ['srflx', 'prflx', 'direct'],
    ['relay', 'host', 'turn'],
    ['host', 'relay', 'turn'],
  ])('a selected pair of %s and %s candidates is %s (the transport names it, as in Chromium)', async (local, remote, route) => {
    const pc = withStats([{ id: 'T', type: 'transport', selectedCandidatePairId: 'P' }, { id: 'P', type: 'candidate-pair', localCandidateId: 'L', remoteCandidateId: 'R' }, { id: 'P2', type: 'candidate-pair', localCandidateId: 'L2', remoteCandidateId: 'R', nominated: true, state: 'succeeded' }, ...candidates(local, remote)])
    expect(await iceRoute(pc)).toBe(route)
  })

  it('takes the pair marked selected when no transport names one (Firefox)', async () => {
    const pc = withStats([{ id: 'P2', type: 'candidate-pair', localCandidateId: 'L2', remoteCandidateId: 'R', state: 'succeeded' }, { id: 'P', type: 'candidate-pair', localCandidateId: 'L', remoteCandidateId: 'R', selected: true }, ...candidates('host', 'host')])
    expect(await iceRoute(pc)).toBe('direct')
  })

  it('else the nominated pair that succeeded', async () => {
    const pc = withStats([{ id: 'P0', type: 'candidate-pair', localCandidateId: 'L', remoteCandidateId: 'R', nominated: true, state: 'failed' }, { id: 'P2', type: 'candidate-pair', localCandidateId: 'L2', remoteCandidateId: 'R', nominated: true, state: 'succeeded' }, ...candidates('host', 'host')])
    expect(await iceRoute(pc)).toBe('turn')
  })

  it('null when no pair is selected, or its candidates are not in the report', async () => {
    expect(await iceRoute(withStats([]))).toBeNull()
    expect(await iceRoute(withStats([{ id: 'T', type: 'transport', selectedCandidatePairId: 'P' }, { id: 'P', type: 'candidate-pair', localCandidateId: 'gone', remoteCandidateId: 'R' }, ...candidates('host', 'host')]))).toBeNull()
  })
})
