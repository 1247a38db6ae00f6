import type * as Y from 'yjs'
import { authorColor, authorsOf, cursorStyles, presenceByFile, type Author } from '../lib/studio/authors'
import { authorName, keepAuthorName } from '../lib/studio/credentials'
import { joinSiteRoom } from '../lib/studio/site-room'
import { socketUrl } from '../lib/peer/socket-url'

/**
 * Co-author `site` live (lib/studio/site-room.ts): awareness tells who is
 * online, in which file, with cursors in Monaco; the name is remembered.
 */
export function useCoAuthors(site: string, doc: Y.Doc, key: string) {
  const provider = joinSiteRoom(site, doc, key, socketUrl('/_ps/yjs'), useRuntimeConfig().public.iceServers)
  const awareness = provider.awareness
  const authors = shallowRef<Author[]>([])
  const name = ref(authorName(localStorage))
  const style = document.head.appendChild(document.createElement('style'))
  const user = (value: string) => ({ name: value, color: authorColor(awareness.clientID) })
  const update = () => {
    authors.value = authorsOf(awareness.getStates(), awareness.clientID)
    style.textContent = cursorStyles(authors.value)
  }

  awareness.setLocalState({ user: user(name.value), file: null })
  awareness.on('change', update)
  update()
  watch(name, (value) => {
    const kept = keepAuthorName(localStorage, value)
    if (kept) awareness.setLocalStateField('user', user(kept))
  })
  onScopeDispose(() => {
    awareness.off('change', update)
    provider.destroy()
    style.remove()
  })
  return {
    awareness: markRaw(awareness),
    authors,
    presence: computed(() => presenceByFile(authors.value)),
    name,
    /** Tell the others which file this author has open. */
    setFile: (path: string | null) => awareness.setLocalStateField('file', path),
  }
}
