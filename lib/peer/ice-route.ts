/**
 * How a visitor's traffic reaches its host: `direct` (a peer-to-peer data
 * channel between the two browsers' own or NAT-mapped addresses), `turn`
 * (a data channel through a TURN server's relayed address), or `relay` (no
 * data channel: the signaling server's WebSocket relay carries the tunnel).
 */
export type ConnectionRoute = 'direct' | 'turn' | 'relay'

/** A stats entry, as the fields this module reads (RTCStats has only type and id). */
type Stat = RTCStats & { selectedCandidatePairId?: string, selected?: boolean, nominated?: boolean, state?: string, localCandidateId?: string, remoteCandidateId?: string, candidateType?: string }

/**
 * The ICE candidate pair `pc` sends over: the transport's selected pair
 * (Chromium, Safari), or the pair marked `selected` (Firefox), or else the
 * nominated pair that succeeded.
 */
function selectedPair(stats: Map<string, Stat>): Stat | undefined {
  for (const stat of stats.values()) {
    if (stat.type === 'transport' && stat.selectedCandidatePairId) return stats.get(stat.selectedCandidatePairId)
  }
  const pairs = [...stats.values()].filter(stat => stat.type === 'candidate-pair')
  return pairs.find(pair => pair.selected) ?? pairs.find(pair => pair.nominated && pair.state === 'succeeded')
}

/**
 * Whether a connected `pc` goes through TURN: either end of its selected
 * candidate pair is a `relay` candidate. Null when the stats name no
 * selected pair (not connected yet, or a browser that does not say).
 */
export async function iceRoute(pc: RTCPeerConnection): Promise<'direct' | 'turn' | null> {
  const report = await pc.getStats()
  const stats = new Map<string, Stat>()
  report.forEach((stat: Stat) => stats.set(stat.id, stat))
  const pair = selectedPair(stats)
  if (!pair?.localCandidateId || !pair.remoteCandidateId) return null
  const ends = [stats.get(pair.localCandidateId), stats.get(pair.remoteCandidateId)]
  if (ends.some(end => end?.candidateType === undefined)) return null
  return ends.some(end => end?.candidateType === 'relay') ? 'turn' : 'direct'
}
