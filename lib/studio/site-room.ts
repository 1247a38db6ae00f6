import { WebrtcProvider } from 'y-webrtc'
import type * as Y from 'yjs'
import { chunkingWrtc } from '../peer/chunked-channel'

/** The y-webrtc room of `site` (the room key, its password, stays in this browser). */
export function siteRoomName(site: string): string {
  return `peerserver:${site}`
}

/**
 * Join the co-authors of `site`: the document syncs with every other
 * author's tab through y-webrtc, introduced by our signaling endpoint
 * `signalUrl`, the content encrypted with the room key, which the server
 * never sees.
 */
export function joinSiteRoom(site: string, doc: Y.Doc, key: string, signalUrl: string, iceServers: RTCIceServer[]): WebrtcProvider {
  return new WebrtcProvider(siteRoomName(site), doc, {
    signaling: [signalUrl],
    password: key,
    // Chunked channels: a whole site's state in one message is past Chromium's 256 KiB limit.
    peerOpts: { config: { iceServers }, wrtc: chunkingWrtc() },
  })
}
