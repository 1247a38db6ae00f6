// Every key PeerServer keeps in a browser's storage, in one place. The app's
// origin (studio, landing, join page) and each site's origin (visitor shell)
// have storage of their own; the comment says which each key lives in.

/** App origin, localStorage: the name this author shows to co-authors. */
export const AUTHOR_NAME_KEY = 'peerserver:author-name'
/** App origin, localStorage: the sites this browser opened in the studio. */
export const RECENT_SITES_KEY = 'peerserver:recent-sites'
/** App origin (join page) and site origin (shell), localStorage: the name a visitor joins lessons with. */
export const VISITOR_NAME_KEY = 'peerserver:visitor-name'
/** Site origin, localStorage: the visitor's own id, kept across reloads and hosts. */
export const VISITOR_ID_KEY = 'peerserver:visitor-id'
/** Site origin, sessionStorage: whether this tab follows the teacher. */
export const LESSON_FOLLOW_KEY = 'peerserver:follow'
/** Site origin, localStorage: '1' skips WebRTC and uses the relay (for trying it out). */
export const FORCE_RELAY_KEY = 'peerserver:force-relay'
/** Site origin, IndexedDB: where visitors' cookie jars were kept before HttpOnly cookies moved to the host (emptied on the service worker's start). */
export const VISITOR_DATABASE = 'peerserver-visitor'
/** Site origin, IndexedDB: the visitor's key pair (the private half non-extractable), which its hello to a host proves. */
export const VISITOR_KEY_DATABASE = 'peerserver-visitor-key'

/** App origin, IndexedDB: this browser's author key pair (the private key cannot be exported). */
export const AUTHOR_KEY_DATABASE = 'peerserver-author-key'

/** App origin, localStorage: this browser's role in `site` ('owner' or 'author') once the server accepted its key; a hint for the UI, not a credential. */
export function authorRoleKey(site: string): string {
  return `peerserver:author-role:${site}`
}

/** App origin, localStorage: the legacy owner token of `site` (proof to signaling that this browser may host it). */
export function ownerTokenKey(site: string): string {
  return `peerserver:owner-token:${site}`
}

/** App origin, localStorage: the room key of `site` (y-webrtc's password; the server never sees it). */
export function roomKeyKey(site: string): string {
  return `peerserver:room-key:${site}`
}

/** App origin, IndexedDB: the database that keeps the document of `site`. */
export function siteDatabaseName(site: string): string {
  return `peerserver-site:${site}`
}
