import { describe, expect, it } from 'vitest'
import { DEFAULT_HOST_LIMITS, hostLimitOptions, readHostLimits } from '../../../../lib/host/host-limits'
import { createHostRuntime } from '../../../../lib/host/runtime'
import { openSiteDoc } from '../../../../lib/site'
import { fakeHosting } from '../../../helpers/fake-hosting'
import { fakeWorkers } from '../../../helpers/fake-worker'
import { memoryStorage } from '../../../helpers/memory-storage'

describe('the host tab\'s limits from runtime config', () => {
  it('takes positive numbers (env values come as strings) and keeps the default for anything else, saying why', () => {
    const { limits, problems } = readHostLimits({ maxConcurrentStreams: '50', maxBodyBytes: 1024, requestDeadlineMs: -1, maxPendingPeers: 'lots', unknown: 3 })
    expect(limits).toEqual({ ...DEFAULT_HOST_LIMITS, maxConcurrentStreams: 50, maxBodyBytes: 1024 })
    expect(problems).toEqual([
      `hostLimits.requestDeadlineMs is -1, not a positive number: the default ${DEFAULT_HOST_LIMITS.requestDeadlineMs} applies`,
      `hostLimits.maxPendingPeers is "lots", not a positive number: the default ${DEFAULT_HOST_LIMITS.maxPendingPeers} applies`,
    ])
    expect(readHostLimits(undefined)).toEqual({ limits: DEFAULT_HOST_LIMITS, problems: [] })
  })

  it('reach the host session: the tunnel and peer limits as configured', async () => {
    const hosting = fakeHosting({ role: 'owner' })
    const site = openSiteDoc()
    const runtime = createHostRuntime({ name: 'class-site', site, storage: memoryStorage(), signalUrl: 'ws://signal.invalid', iceServers: [], createWorker: fakeWorkers().create, host: hosting.host, limits: { maxConcurrentStreams: 7, maxPendingPeers: 3, requestDeadlineMs: 'soon' } })
    const notes: string[] = []
    runtime.on('log', entry => 'note' in entry && notes.push(entry.note))
    await runtime.start()
    const expected = hostLimitOptions({ ...DEFAULT_HOST_LIMITS, maxConcurrentStreams: 7, maxPendingPeers: 3 })
    expect(hosting.registrations[0]?.tunnel).toEqual(expected.tunnel)
    expect(hosting.registrations[0]?.peers).toEqual(expected.peers)
    expect(notes).toEqual([expect.stringContaining('hostLimits.requestDeadlineMs is "soon"')])
    runtime.destroy()
  })
})
