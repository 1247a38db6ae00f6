import type { Ref } from 'vue'
import type { HostRuntime } from '../lib/host/runtime'
import type { AuthorEntry } from '../shared/protocol/signal'
import { errorMessage } from '../shared/error-message'

/** Run `work` on the runtime, one at a time, with its failure in `problem`. */
function attempter(runtime: () => HostRuntime | null, busy: Ref<boolean>, problem: Ref<string>) {
  return async (work: (current: HostRuntime) => Promise<void>) => {
    const current = runtime()
    if (!current || busy.value) return
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
}

/** The site's authors as the server keeps them, and the owner's removal of one (lib/host/runtime.ts removeAuthor). */
export function useAuthorList(runtime: () => HostRuntime | null) {
  const authors = shallowRef<AuthorEntry[]>([])
  const problem = ref('')
  const done = ref('')
  const busy = ref(false)
  const attempt = attempter(runtime, busy, problem)

  const refresh = () => attempt(async (current) => {
    authors.value = await current.authors()
  })

  return {
    authors,
    problem,
    done,
    busy,
    refresh,
    /** Remove `author` (the owner's choice, asked first by the component), then read the list again. */
    remove: (author: AuthorEntry, label: string) => attempt(async (current) => {
      done.value = ''
      await current.removeAuthor(author.id)
      done.value = `${label} was removed: that browser no longer serves or edits the site. The others moved to a new room; visitors' sessions were reset.`
      authors.value = await current.authors()
    }),
  }
}
