import { WebrtcProvider } from 'y-webrtc'
import type * as Y from 'yjs'
import { randomId } from '../lib/vserver/crypto'
import { chunkingWrtc } from '../lib/peer/chunked-channel'
import { authorColor, authorsOf, cursorStyles, presenceByFile, type Author } from '../lib/studio/authors'
import type { Invite } from '../lib/studio/invite'

const NAME_KEY = 'peerserver:author-name'

function keyKey(site: string) {
  return `peerserver:room-key:${site}`
}

/** The room key of `site` in this browser (y-webrtc's password), made on first use by the owner. */
export function roomKey(site: string, make = true): string | null {
  const stored = localStorage.getItem(keyKey(site))
  if (stored || !make) return stored
  const key = randomId(32)
  localStorage.setItem(keyKey(site), key)
  return key
}

/** Keep an invite's key and owner token: this browser is now a co-author of `site`. */
export function acceptInvite(site: string, invite: Invite) {
  localStorage.setItem(keyKey(site), invite.key)
  localStorage.setItem(`peerserver:owner-token:${site}`, invite.token)
}

/** The author's name in this browser (asked once, remembered). */
export function authorName(): string {
  return localStorage.getItem(NAME_KEY) ?? `Author ${Math.floor(100 + Math.random() * 900)}`
}

/**
 * Co-author `site` live: the site document syncs with every other author's
 * tab through y-webrtc (our signaling endpoint introduces them; the content is
 * encrypted with the room key, which the server never sees), and awareness
 * tells who is online, in which file, with cursors in Monaco.
 */
export function useCoAuthors(site: string, doc: Y.Doc, key: string, iceServers: RTCIceServer[]) {
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:'
  const provider = new WebrtcProvider(`peerserver:${site}`, doc, {
    signaling: [`${protocol}//${location.host}/_ps/yjs`],
    password: key,
    // Chunked channels: a whole site's state in one message is past Chromium's 256 KiB limit.
    peerOpts: { config: { iceServers }, wrtc: chunkingWrtc() },
  })
  const awareness = provider.awareness
  const authors = shallowRef<Author[]>([])
  const name = ref(authorName())
  const style = document.createElement('style')
  document.head.append(style)

  awareness.setLocalState({ user: { name: name.value, color: authorColor(awareness.clientID) }, file: null })
  const update = () => {
    authors.value = authorsOf(awareness.getStates(), awareness.clientID)
    style.textContent = cursorStyles(authors.value)
  }
  awareness.on('change', update)
  update()

  watch(name, (value) => {
    const trimmed = value.trim().slice(0, 60)
    if (!trimmed) return
    localStorage.setItem(NAME_KEY, trimmed)
    awareness.setLocalStateField('user', { name: trimmed, color: authorColor(awareness.clientID) })
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
