import type { JoinLookup } from '../../../shared/protocol/api'
import { enforceLookupRate } from '../../utils/limits/instance'
import { useSignalingHub } from '../../utils/signaling/instance'
import { answerJoinCode } from '../../utils/lesson/join-codes'

// GET /api/join/<code>: the site a join code opens, and whether its host tab is online now.
// Metered per client address (JOIN_LOOKUPS_PER_SECOND): 429 past it, so the codes cannot be swept.
export default defineEventHandler(async (event): Promise<JoinLookup> => {
  enforceLookupRate(event, 'join')
  const hub = useSignalingHub()
  setResponseHeader(event, 'cache-control', 'no-store')
  const answer = await answerJoinCode(getRouterParam(event, 'code', { decode: true }) ?? '', code => hub.joinCode(code))
  if (!answer.ok) throw createError({ statusCode: answer.status, statusMessage: answer.message })
  return answer.lookup
})
