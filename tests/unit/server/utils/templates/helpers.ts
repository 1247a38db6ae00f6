import { fileURLToPath } from 'node:url'
import { parseSetCookie } from 'cookie-es'
import { createStorage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import { createVirtualServer, type RequestLog, type VirtualServer } from '../../../../../lib/vserver/app'
import { createDatabase, MemoryDocumentStore } from '../../../../../lib/vserver/db'
import { MemoryFileStore } from '../../../../../lib/vserver/memory-files'
import type { HeaderList, VResponse } from '../../../../../lib/vserver/types'
import { createViewRenderer } from '../../../../../lib/vserver/views'
import { loadTemplateCatalog, type TemplateCatalog } from '../../../../../server/utils/templates/load'
import type { TemplateDetail } from '../../../../../shared/protocol/api'

/** The repo's templates/ folder. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../../../../templates', import.meta.url))

/** The catalog of the real templates/ folder, read as Nitro reads it in development (unstorage fs driver). */
export async function loadRepoCatalog(warnings: string[] = []): Promise<TemplateCatalog> {
  const storage = createStorage({ driver: fsDriver({ base: TEMPLATES_DIR }) })
  return loadTemplateCatalog(storage, { warn: message => warnings.push(message) })
}

/** A template's files (as `GET /api/templates/<id>` gives them) in a MemoryFileStore. */
export async function filesOf(template: TemplateDetail): Promise<MemoryFileStore> {
  const files = new MemoryFileStore()
  for (const file of template.files) {
    await files.write(file.path, file.encoding === 'base64' ? Buffer.from(file.content, 'base64') : file.content)
  }
  return files
}

/** A virtual server for a template, in this realm, with an in-memory database. */
export async function serveTemplate(template: TemplateDetail, logs: RequestLog[] = []): Promise<VirtualServer> {
  const files = await filesOf(template)
  return createVirtualServer({
    files,
    db: createDatabase(new MemoryDocumentStore()),
    views: createViewRenderer(files),
    secret: 'a secret of thirty-two chars....',
    log: entry => logs.push(entry),
  })
}

const encoder = new TextEncoder()

/** The body of a response as text. */
export const text = (response: VResponse): string => response.body instanceof Uint8Array ? new TextDecoder().decode(response.body) : ''
/** A response header. */
export const header = (response: VResponse, name: string): string | undefined => response.headers.find(([key]) => key === name)?.[1]

/** A visitor with a cookie jar, as the visitor's service worker is. */
export class Visitor {
  private readonly cookies = new Map<string, string>()
  constructor(private readonly server: VirtualServer) {}

  async request(method: string, url: string, init: { headers?: HeaderList, body?: string | Uint8Array } = {}): Promise<VResponse> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    const headers: HeaderList = [...(init.headers ?? [])]
    if (cookie) headers.push(['cookie', cookie])
    const body = typeof init.body === 'string' ? encoder.encode(init.body) : init.body ?? null
    const response = await this.server.handle({ method, url, headers, body })
    for (const [name, value] of response.headers) {
      const parsed = name === 'set-cookie' ? parseSetCookie(value) : undefined
      if (parsed?.maxAge === 0) this.cookies.delete(parsed.name)
      else if (parsed) this.cookies.set(parsed.name, parsed.value)
    }
    return response
  }

  /** Submit a form as a browser does (urlencoded). */
  form(url: string, fields: Record<string, string>): Promise<VResponse> {
    const body = new URLSearchParams(fields).toString()
    return this.request('POST', url, { headers: [['content-type', 'application/x-www-form-urlencoded']], body })
  }

  /** Submit a form with a file as a browser does (multipart/form-data). */
  upload(url: string, fields: Record<string, string>, file: { field: string, name: string, type: string, bytes: Uint8Array }): Promise<VResponse> {
    const boundary = '----peerserver-test-boundary'
    const parts: Uint8Array[] = Object.entries(fields).map(([name, value]) => encoder.encode(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`))
    parts.push(encoder.encode(`--${boundary}\r\ncontent-disposition: form-data; name="${file.field}"; filename="${file.name}"\r\ncontent-type: ${file.type}\r\n\r\n`), file.bytes, encoder.encode(`\r\n--${boundary}--\r\n`))
    const body = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
    parts.reduce((offset, part) => (body.set(part, offset), offset + part.length), 0)
    return this.request('POST', url, { headers: [['content-type', `multipart/form-data; boundary=${boundary}`]], body })
  }

  json(method: string, url: string, value: unknown): Promise<VResponse> {
    return this.request(method, url, { headers: [['content-type', 'application/json']], body: JSON.stringify(value) })
  }
}
