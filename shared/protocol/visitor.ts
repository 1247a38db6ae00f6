import { z } from 'zod'

// A visitor's hello to the host over a new tunnel: it proves the visitor's
// key (made once in its browser, non-extractable), so the host can keep that
// visitor's HttpOnly cookies for it across connections and hosts, which its
// browser then never holds. PROTOCOL.md ("Visitor hello") documents it.

/** Where the shell says hello, first thing on every new tunnel (a POST with a JSON body). */
export const VISITOR_HELLO_PATH = '/_ps/visitor'

/** What the visitor signs: its site and the signaling session of this very connection, so a hello is good on one connection only. */
export function visitorProof(site: string, session: string): string {
  return `peerserver visitor ${site} ${session}`
}

/** The hello's body: the visitor's public key (SPKI, base64url) and its ECDSA P-256 / SHA-256 signature (P1363, base64url) of `visitorProof`. */
export const VisitorHelloSchema = z.object({
  key: z.string().regex(/^[\w-]{80,200}$/, 'a visitor key is the base64url SPKI of a P-256 key'),
  signature: z.string().regex(/^[\w-]{86}$/, 'a signature is 64 bytes, base64url'),
})
/** The hello's body. */
export type VisitorHello = z.infer<typeof VisitorHelloSchema>
