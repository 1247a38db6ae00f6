import type * as Y from 'yjs'
import type { RoomState } from '../shared/protocol/signal'
import type { AuthorKey } from '../lib/studio/author-key'
import { authorColor, authorsOf, cursorStyles, presenceByFile, sameAuthors, type Author } from '../lib/studio/authors'
import { authorName, keepAuthorName } from '../lib/studio/credentials'
import { createSiteRoom } from '../lib/studio/site-room'
import { socketUrl } from '../lib/peer/socket-url'

/**
 * Co-author `site` live (lib/studio/site-room.ts): awareness tells who is
 * online, in which file, with cursors in Monaco; the name is remembered.
 * `rejoin` moves to the room's new epoch after an author was removed.
 */
export function useCoAuthors(site: string, doc: Y.Doc, roomKey: string, key: () => Promise<AuthorKey>) {
  const room = createSiteRoom({ site, doc, roomKey, key, signalUrl: socketUrl('/_ps/yjs'), iceServers: useRuntimeConfig().public.iceServers })
  const awareness = room.awareness
  const authors = shallowRef<Author[]>([])
  const name = ref(authorName(localStorage))
  const style = document.head.appendChild(document.createElement('style'))
  const user = (value: string) => ({ name: value, color: authorColor(awareness.clientID) })
  const update = () => {
    // A cursor that moved changes no author: the list, the tree and the cursors' stylesheet stay as they are.
    const now = authorsOf(awareness.getStates(), awareness.clientID)
    if (sameAuthors(authors.value, now)) return
    authors.value = now
    style.textContent = cursorStyles(now)
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
    room.destroy()
    style.remove()
  })
  return {
    awareness: markRaw(awareness),
    authors,
    presence: computed(() => presenceByFile(authors.value)),
    name,
    /** Tell the others which file this author has open. */
    setFile: (path: string | null) => awareness.setLocalStateField('file', path),
    /** Join the room at `state` (null: leave it, this browser is no author any more). */
    rejoin: (state: RoomState | null) => (state ? room.join(state) : room.leave()),
  }
}
