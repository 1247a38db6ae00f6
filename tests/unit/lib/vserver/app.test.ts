import { parseSetCookie } from 'cookie-es'
import { beforeEach, describe, expect, it } from 'vitest'
import { createVirtualServer, type RequestLog, type VirtualServer } from '../../../../lib/vserver/app'
import { createDatabase, MemoryDocumentStore } from '../../../../lib/vserver/db'
import { MemoryFileStore } from '../../../../lib/vserver/memory-files'
import type { HeaderList, VResponse } from '../../../../lib/vserver/types'
import { createViewRenderer } from '../../../../lib/vserver/views'

/** A small blog in Nitro's conventions. */
const SITE: Record<string, string> = {
  'public/index.html': '<h1>static home</h1>',
  'routes/index.js': `export default defineHandler(() => 'route home')`,
  'lib/text.js': `export const shout = (s) => s.toUpperCase()`,
  'lib/greet.js': `import { shout } from './text.js'\nexport const greet = (name, excited) => 'Hello, ' + shout(name) + (excited ? '!' : '.')`,
  'lib/fail.js': `export function fail() {\n  throw new Error('kaboom')\n}`,
  'routes/hello/[name].get.js': `import { greet } from '../../lib/greet.js'
export default defineHandler((event) => {
  console.log('greeting', { name: getRouterParam(event, 'name') })
  return '<p>' + greet(getRouterParam(event, 'name'), getQuery(event).excited) + '</p>'
})`,
  'routes/broken.js': `export default defineHandler(() => {\n  return 'oops' +;\n})`,
  'routes/boom.js': `import { fail } from '../lib/fail.js'\nexport default defineHandler(() => fail())`,
  'routes/api/register.post.js': `export default defineHandler(async (event) => {
  const { user, password } = await readBody(event)
  await db.collection('users').insert({ _id: user, hash: await hashPassword(password) })
  setResponseStatus(event, 201)
  return { ok: true }
})`,
  'routes/api/login.post.js': `export default defineHandler(async (event) => {
  const { user, password } = await readBody(event)
  const account = await db.collection('users').get(user)
  if (!account || !(await verifyPassword(password, account.hash))) throw createError({ statusCode: 401, message: 'Wrong user or password' })
  await (await useSession(event)).update({ user })
  return { ok: true, user }
})`,
  'routes/logout.post.js': `export default defineHandler(async (event) => {\n  await (await useSession(event)).clear()\n  return sendRedirect(event, '/')\n})`,
  'routes/members.get.js': `export default defineHandler(async (event) => {
  const { data } = await useSession(event)
  if (!data.user) return sendRedirect(event, '/login')
  return 'members only, ' + data.user
})`,
  'routes/posts/index.post.js': `export default defineHandler(async (event) => {
  const { data } = await useSession(event)
  if (!data.user) throw createError({ statusCode: 401, message: 'Log in first' })
  const { title, image } = await readBody(event)
  const post = await db.collection('posts').insert({ title, author: data.user, image: { filename: image.filename, type: image.type, size: image.data.length } })
  return sendRedirect(event, '/posts/' + post._id, 303)
})`,
  'routes/posts/[id].get.js': `export default defineHandler(async (event) => {
  const post = await db.collection('posts').get(getRouterParam(event, 'id'))
  if (!post) throw createError({ statusCode: 404, message: 'No such post' })
  return render('post', { title: post.title, post })
})`,
  'views/layout.mustache': '<title>{{title}}</title>{{{body}}}',
  'views/post.mustache': '<h1>{{post.title}}</h1>{{> byline}}',
  'views/partials/byline.mustache': '<p>by {{post.author}}, {{post.image.filename}} ({{post.image.type}}, {{post.image.size}} bytes)</p>',
}

const encoder = new TextEncoder()
const text = (response: VResponse) => response.body instanceof Uint8Array ? new TextDecoder().decode(response.body) : ''
const header = (response: VResponse, name: string) => response.headers.find(([key]) => key === name)?.[1]

/** A visitor with a cookie jar, as the visitor's service worker is. */
class Visitor {
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

  json(method: string, url: string, value: unknown): Promise<VResponse> {
    return this.request(method, url, { headers: [['content-type', 'application/json']], body: JSON.stringify(value) })
  }
}

function multipart(boundary: string, fields: Record<string, string>, file: { name: string, filename: string, type: string, data: Uint8Array }): Uint8Array {
  const chunks: Uint8Array[] = Object.entries(fields).map(([name, value]) =>
    encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`))
  chunks.push(encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`))
  chunks.push(file.data, encoder.encode(`\r\n--${boundary}--\r\n`))
  return new Uint8Array(chunks.flatMap(chunk => [...chunk]))
}

let files: MemoryFileStore
let logs: RequestLog[]
let server: VirtualServer
let visitor: Visitor

beforeEach(async () => {
  files = new MemoryFileStore()
  for (const [path, content] of Object.entries(SITE)) await files.write(path, content)
  logs = []
  const db = createDatabase(new MemoryDocumentStore())
  server = createVirtualServer({ files, db, views: createViewRenderer(files), secret: 'test secret, long enough', log: entry => logs.push(entry) })
  visitor = new Visitor(server)
})

describe('createVirtualServer: serving', () => {
  it('serves public/ first: a static file wins over a route at the same path', async () => {
    const home = await visitor.request('GET', '/')
    expect(text(home)).toContain('static home')
    expect(logs[0]).toMatchObject({ status: 200, console: [] })
    expect(logs[0]?.route).toBeUndefined()
  })

  it('runs a route that imports lib/ files, with params and query', async () => {
    const response = await visitor.request('GET', '/hello/ada%20l?excited=1')
    expect(response.status).toBe(200)
    expect(header(response, 'content-type')).toBe('text/html; charset=utf-8')
    expect(text(response)).toBe('<p>Hello, ADA L!</p>')
    expect(logs[0]).toMatchObject({ method: 'GET', url: '/hello/ada%20l?excited=1', status: 200, route: 'routes/hello/[name].get.js' })
  })

  it('answers 405 with Allow, and the site 404 for unknown paths', async () => {
    const wrong = await visitor.request('DELETE', '/api/login')
    expect(wrong.status).toBe(405)
    expect(header(wrong, 'allow')).toBe('POST')
    expect((await visitor.request('GET', '/nope')).status).toBe(404)
  })

  it('answers HEAD with the GET route\'s headers and no body', async () => {
    const response = await visitor.request('HEAD', '/hello/x')
    expect(response.status).toBe(200)
    expect(header(response, 'content-type')).toBe('text/html; charset=utf-8')
    expect(response.body).toBeNull()
  })

  it('hands console output of a handler to the log', async () => {
    await visitor.request('GET', '/hello/bob')
    expect(logs[0]?.console.map(line => [line.level, line.text])).toEqual([['log', 'greeting {"name":"bob"}']])
  })

  it('works with handle passed around on its own', async () => {
    const { handle } = server
    expect((await handle({ method: 'GET', url: '/hello/x', headers: [], body: null })).status).toBe(200)
  })

  it('picks up an edited route file', async () => {
    await files.write('routes/hello/[name].get.js', `export default defineHandler((event) => 'Hi ' + getRouterParam(event, 'name'))`)
    expect(text(await visitor.request('GET', '/hello/x'))).toBe('Hi x')
  })
})

describe('createVirtualServer: errors', () => {
  it('a syntax error answers 500 for that route only, the author gets file and line', async () => {
    const broken = await visitor.request('GET', '/broken')
    expect(broken.status).toBe(500)
    expect(text(broken)).toContain('Internal Server Error')
    expect(text(broken)).not.toContain('Unexpected')
    expect(logs[0]?.error).toMatchObject({ file: 'routes/broken.js', line: 2, column: 18, message: 'Unexpected token' })
    expect((await visitor.request('GET', '/hello/x')).status).toBe(200)
  })

  it('a thrown error gives the visitor a plain 500 and the author the stack in site paths', async () => {
    const response = await visitor.request('GET', '/boom')
    expect(response.status).toBe(500)
    expect(text(response)).not.toContain('kaboom')
    const error = logs[0]?.error
    expect(error).toMatchObject({ message: 'Error: kaboom', file: 'lib/fail.js', line: 2 })
    expect(error?.stack).toContain('lib/fail.js:2:')
    expect(error?.stack).not.toContain('data:')
  })

  it('createError gives its status and message, as JSON to API clients', async () => {
    const page = await visitor.request('GET', '/posts/missing')
    expect(page.status).toBe(404)
    expect(text(page)).toContain('No such post')
    const api = await visitor.request('GET', '/posts/missing', { headers: [['accept', 'application/json']] })
    expect(JSON.parse(text(api))).toMatchObject({ statusCode: 404, message: 'No such post' })
    expect(logs[0]?.error).toBeUndefined()
  })

  it('a malformed body is a 400 that says why', async () => {
    const response = await visitor.request('POST', '/api/login', { headers: [['content-type', 'application/json']], body: '{"user":' })
    expect(response.status).toBe(400)
    expect(text(response)).toContain('Invalid JSON body')
  })
})

describe('createVirtualServer: a small blog', () => {
  it('registers, logs in, posts with an image, reads it back, logs out', async () => {
    expect((await visitor.json('POST', '/api/register', { user: 'ada', password: 'hunter22' })).status).toBe(201)
    expect((await visitor.json('POST', '/api/login', { user: 'ada', password: 'wrong' })).status).toBe(401)
    const login = await visitor.json('POST', '/api/login', { user: 'ada', password: 'hunter22' })
    expect(JSON.parse(text(login))).toEqual({ ok: true, user: 'ada' })
    expect(header(login, 'set-cookie')).toMatch(/^ps_session=[\w-]+\.[\w-]+; Path=\/; HttpOnly; SameSite=Lax$/)

    const image = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256)
    const created = await visitor.request('POST', '/posts', {
      headers: [['content-type', 'multipart/form-data; boundary=XyZ']],
      body: multipart('XyZ', { title: 'First <post>' }, { name: 'image', filename: 'cat.png', type: 'image/png', data: image }),
    })
    expect(created.status).toBe(303)
    const location = header(created, 'location') ?? ''
    expect(location).toMatch(/^\/posts\/[\w-]+$/)

    const page = await visitor.request('GET', location)
    expect(text(page)).toContain('<title>First &lt;post&gt;</title>')
    expect(text(page)).toContain('<h1>First &lt;post&gt;</h1><p>by ada, cat.png (image&#x2F;png, 300 bytes)</p>')

    expect((await visitor.request('GET', '/members')).status).toBe(200)
    const logout = await visitor.request('POST', '/logout')
    expect(logout.status).toBe(302)
    const members = await visitor.request('GET', '/members')
    expect(members.status).toBe(302)
    expect(header(members, 'location')).toBe('/login')
  })

  it('keeps visitors apart', async () => {
    await visitor.json('POST', '/api/register', { user: 'ada', password: 'hunter22' })
    await visitor.json('POST', '/api/login', { user: 'ada', password: 'hunter22' })
    const other = new Visitor(server)
    expect((await other.request('GET', '/members')).status).toBe(302)
    expect((await visitor.request('GET', '/members')).status).toBe(200)
  })
})
