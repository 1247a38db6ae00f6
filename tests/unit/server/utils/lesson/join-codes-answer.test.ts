import { describe, expect, it } from 'vitest'
import { answerJoinCode } from '../../../../../server/utils/lesson/join-codes'
import { createMemorySiteRegistry } from '../../../../../server/utils/signaling/registry'
import { createTestHub } from '../signaling/fake-peers'

async function hubWithLesson() {
  const codes = ['BCDFGH']
  const { hub, host } = createTestHub({ registry: createMemorySiteRegistry({ codeSource: () => codes.shift() ?? 'ZZZZZZ' }) })
  const peer = await host('class-wall')
  return { hub, peer, lookup: (code: string) => hub.joinCode(code) }
}

describe('GET /api/join/<code> (answerJoinCode)', () => {
  it.each(['BCDFGH', 'bcdfgh', 'bcd-fgh', ' BCD FGH ', 'Bc-dF-gH'])('finds the lesson of %j', async (typed) => {
    const { lookup } = await hubWithLesson()
    expect(await answerJoinCode(typed, lookup)).toEqual({ ok: true, lookup: { site: 'class-wall', online: true } })
  })

  it('says when the teacher\'s tab is offline', async () => {
    const { hub, peer, lookup } = await hubWithLesson()
    hub.disconnect(peer.id)
    expect(await answerJoinCode('BCDFGH', lookup)).toEqual({ ok: true, lookup: { site: 'class-wall', online: false } })
  })

  it('answers 404 for a well-formed code no lesson has', async () => {
    const { lookup } = await hubWithLesson()
    expect(await answerJoinCode('jkm-npr', lookup)).toEqual({ ok: false, status: 404, message: 'No lesson has the code JKMNPR' })
  })

  it.each([
    ['empty', '', 'Type the join code'],
    ['short', 'BCDFG', 'has 6 letters; this has 5'],
    ['long', 'BCDFGHJ', 'has 6 letters; this has 7'],
    ['with a digit', 'BCDFG1', 'letters only'],
    ['with a look-alike', 'BCDFGO', 'no O'],
    ['with a vowel', 'ABCDEF', 'no A, E'],
    ['a path', '../sites/blog', 'letters only'],
  ])('answers 400 for a code that is %s, and looks nothing up', async (_, typed, reason) => {
    const answer = await answerJoinCode(typed, () => Promise.reject(new Error('looked up')))
    expect(answer).toMatchObject({ ok: false, status: 400 })
    if (!answer.ok) expect(answer.message).toContain(reason)
  })
})
