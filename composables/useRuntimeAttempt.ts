import type { HostRuntime } from '../lib/host/runtime'
import { errorMessage } from '../shared/error-message'

/**
 * Run work on the studio's host runtime, when there is one, with its failure
 * for the author in `problem`. With `oneAtATime`, a call while another runs
 * is dropped (`busy` says so, for a disabled button).
 */
export function useRuntimeAttempt(runtime: () => HostRuntime | null, options: { oneAtATime?: boolean } = {}) {
  const problem = ref('')
  const busy = ref(false)
  async function attempt(work: (current: HostRuntime) => Promise<void>): Promise<void> {
    const current = runtime()
    if (!current || (options.oneAtATime && busy.value)) return
    busy.value = true
    problem.value = ''
    try {
      await work(current)
    }
    catch (error) {
      problem.value = errorMessage(error)
    }
    finally {
      busy.value = false
    }
  }
  return { problem, busy, attempt }
}
