/** An author as a browser is one: a non-extractable P-256 key pair; `key` is its public SPKI, base64url. */
export interface TestAuthor {
  key: string
  /** The ECDSA P-256 / SHA-256 signature of `text`, P1363, base64url (what WebCrypto gives). */
  sign(text: string): Promise<string>
}

/** A fresh author key pair, made with WebCrypto as the studio makes it. */
export async function createTestAuthor(): Promise<TestAuthor> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])
  const spki = await crypto.subtle.exportKey('spki', pair.publicKey)
  return {
    key: Buffer.from(spki).toString('base64url'),
    async sign(text) {
      const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, new TextEncoder().encode(text))
      return Buffer.from(signature).toString('base64url')
    },
  }
}

/** A clock tests move by hand. */
export function createTestClock(start = Date.UTC(2026, 2, 2, 9, 0, 0)) {
  const clock = { time: start, now: () => clock.time, advance: (ms: number) => void (clock.time += ms) }
  return clock
}
