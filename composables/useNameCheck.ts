import { SiteNameStatusSchema as StatusSchema, type SiteNameStatus as NameStatus } from '../shared/protocol/api'
import { siteNameProblem } from '../shared/protocol/site'

/**
 * Check a site name as it is typed: the rules first (no request), then
 * whether it is taken, debounced. A name this browser owns is not "taken":
 * opening it goes to its studio.
 */
export function useNameCheck(name: Ref<string>, owns: (name: string) => boolean) {
  const status = ref<NameStatus | null>(null)
  const problem = computed(() => (name.value ? siteNameProblem(name.value) : null))
  const checking = ref(false)
  let timer: ReturnType<typeof setTimeout> | undefined
  let asked = 0

  async function check(value: string) {
    const ticket = ++asked
    checking.value = true
    try {
      const response = await fetch(`/api/sites/${encodeURIComponent(value)}`)
      const parsed = StatusSchema.safeParse(await response.json())
      if (ticket === asked) status.value = parsed.success ? parsed.data : null
    }
    catch (error) {
      // The check is advice; registration itself refuses a taken name.
      console.warn('[landing] name check failed', error)
    }
    finally {
      if (ticket === asked) checking.value = false
    }
  }

  watch(name, (value) => {
    clearTimeout(timer)
    status.value = null
    if (!value || problem.value || owns(value)) return
    timer = setTimeout(() => void check(value), 250)
  })

  const taken = computed(() => !!status.value?.taken && status.value.name === name.value && !owns(name.value))
  return { problem, status, taken, checking }
}
