import { signalLog as log, useSignalingRegistry } from '../utils/signaling/instance'

/** How often the registry forgets names no tab hosted for SITE_EXPIRY_DAYS (a claim already treats them as free). */
const SWEEP_EVERY_MS = 24 * 3600_000

// A sweep a minute after start (entries from before expiry get their term's start), then daily.
export default defineNitroPlugin(() => {
  const sweep = async () => {
    try {
      const { removed, stamped, corrupt } = await useSignalingRegistry().sweepExpired()
      log.info(`name expiry: forgot ${removed} name(s), started the term of ${stamped} from before${corrupt ? `, ${corrupt} corrupt entry(ies) left alone` : ''}`)
    }
    catch (error) {
      log.error('name expiry sweep failed', error)
    }
  }
  setTimeout(() => void sweep(), 60_000).unref()
  setInterval(() => void sweep(), SWEEP_EVERY_MS).unref()
})
