import { describe, expect, it } from 'vitest'
import { createLogBatcher, LOG_BATCH_MS, LOG_LIMIT, type StudioLogLine } from '../../../../lib/studio/request-log'
import { fakeClock } from '../../../helpers/fake-clock'

describe('the request log batcher', () => {
  it('hands lines over newest first, once per batch interval', () => {
    const clock = fakeClock(0)
    const flushed: StudioLogLine[][] = []
    const add = createLogBatcher(lines => flushed.push(lines), clock)
    add({ note: 'one' })
    clock.advance(10)
    add({ note: 'two' })
    expect(flushed).toEqual([])
    clock.advance(LOG_BATCH_MS - 10)
    expect(flushed).toEqual([[{ note: 'two', at: 10 }, { note: 'one', at: 0 }]])
    add({ note: 'three' })
    clock.advance(LOG_BATCH_MS)
    expect(flushed[1]).toEqual([{ note: 'three', at: LOG_BATCH_MS }])
  })

  it(`keeps at most LOG_LIMIT (${LOG_LIMIT}) lines of a burst, the newest`, () => {
    const clock = fakeClock(0)
    let last: StudioLogLine[] = []
    const add = createLogBatcher((lines) => { last = lines }, clock)
    for (let i = 0; i <= LOG_LIMIT; i++) add({ note: String(i) })
    clock.advance(LOG_BATCH_MS)
    expect(last).toHaveLength(LOG_LIMIT)
    expect(last[0]).toMatchObject({ note: String(LOG_LIMIT) })
    expect(last.at(-1)).toMatchObject({ note: '1' })
  })
})
