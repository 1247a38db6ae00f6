import type { HostRuntime } from '../lib/host/runtime'
import type { AuthorEntry } from '../shared/protocol/signal'
import { useRuntimeAttempt } from './useRuntimeAttempt'

/** The site's authors as the server keeps them, and the owner's removal of one (lib/host/runtime.ts removeAuthor). */
export function useAuthorList(runtime: () => HostRuntime | null) {
  const authors = shallowRef<AuthorEntry[]>([])
  const done = ref('')
  const { problem, busy, attempt } = useRuntimeAttempt(runtime, { oneAtATime: true })

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
