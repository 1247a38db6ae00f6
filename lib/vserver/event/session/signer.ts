import { base64UrlDecode, base64UrlEncode } from '../../crypto'

const encoder = new TextEncoder()
/** A site secret shorter than this is refused: HMAC keys must not be guessable. */
export const MIN_SECRET_BYTES = 16

/** Signs and checks cookie values with HMAC-SHA256 and the site's secret: `value.signature`. */
export class SessionSigner {
  private readonly key: Promise<CryptoKey>

  constructor(secret: string | Uint8Array) {
    const bytes = typeof secret === 'string' ? encoder.encode(secret) : new Uint8Array(secret)
    if (bytes.length < MIN_SECRET_BYTES) throw new RangeError(`the site secret must be at least ${MIN_SECRET_BYTES} bytes`)
    this.key = crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
  }

  /** `value.signature`; `value` must not contain a dot. */
  async sign(value: string): Promise<string> {
    const signature = await crypto.subtle.sign('HMAC', await this.key, encoder.encode(value))
    return `${value}.${base64UrlEncode(new Uint8Array(signature))}`
  }

  /** The value of a signed string, or null when it was not signed with this secret. Constant-time (WebCrypto's verify). */
  async unsign(signed: string): Promise<string | null> {
    const dot = signed.lastIndexOf('.')
    if (dot <= 0) return null
    const value = signed.slice(0, dot)
    const signature = base64UrlDecode(signed.slice(dot + 1))
    if (!signature) return null
    const valid = await crypto.subtle.verify('HMAC', await this.key, signature, encoder.encode(value))
    return valid ? value : null
  }
}
