import { describe, expect, it } from 'vitest'
import type { RequestLog } from '../../../../../lib/vserver/app'
import { header, loadRepoCatalog, serveTemplate, text, Visitor } from './helpers'

const catalog = await loadRepoCatalog()

async function visit(id: string, logs: RequestLog[] = []): Promise<Visitor> {
  const template = catalog.get(id)
  if (!template) throw new Error(`no template ${id}`)
  return new Visitor(await serveTemplate(template, logs))
}

/** Every same-site URL a page refers to by src= or href= (stylesheets, scripts, pictures, links). */
function localUrls(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="(\/[^"]*)"/g)].map(match => match[1] ?? '')
}

describe('every template serves its home page', () => {
  it.each(catalog.list().map(t => t.id))('%s: GET / answers 200 HTML, and what it links to is there', async (id) => {
    const logs: RequestLog[] = []
    const visitor = await visit(id, logs)
    const home = await visitor.request('GET', '/')
    expect(home.status).toBe(200)
    expect(header(home, 'content-type')).toMatch(/^text\/html/)
    expect(text(home)).toMatch(/^<!doctype html>/i)
    for (const url of localUrls(text(home))) {
      expect((await visitor.request('GET', url)).status, `${id}: ${url}`).toBe(200)
    }
    expect(logs.filter(log => log.error || log.console.length)).toEqual([])
  })
})

describe('portfolio', () => {
  it('pages link each other and every page, stylesheet and picture is served', async () => {
    const visitor = await visit('portfolio')
    const pages = ['/', '/projects.html', '/contact.html']
    for (const page of pages) {
      const response = await visitor.request('GET', page)
      expect(response.status).toBe(200)
      for (const url of localUrls(text(response))) expect((await visitor.request('GET', url)).status, url).toBe(200)
    }
    const icon = await visitor.request('GET', '/img/icon.png')
    expect(header(icon, 'content-type')).toBe('image/png')
  })
})

describe('guestbook', () => {
  it('a note posted with the form is listed, newest first, HTML escaped', async () => {
    const visitor = await visit('guestbook')
    expect(text(await visitor.request('GET', '/'))).toContain('No notes yet')
    expect((await visitor.form('/notes', { name: 'Ada', message: 'First!' })).status).toBe(303)
    const posted = await visitor.form('/notes', { name: 'Bob', message: '<script>alert(1)</script>' })
    expect(posted.status).toBe(303)
    expect(header(posted, 'location')).toBe('/')
    const wall = text(await visitor.request('GET', '/'))
    expect(wall).toContain('&lt;script&gt;alert(1)&lt;&#x2F;script&gt;')
    expect(wall).not.toContain('<script>alert')
    expect(wall.indexOf('Bob')).toBeLessThan(wall.indexOf('Ada'))
  })

  it('an empty message is refused with the form kept', async () => {
    const visitor = await visit('guestbook')
    const response = await visitor.form('/notes', { name: 'Ada', message: '  ' })
    expect(response.status).toBe(400)
    expect(text(response)).toContain('Please write a message.')
    expect(text(response)).toContain('value="Ada"')
  })
})

describe('quiz', () => {
  it('answers are counted per choice on /results', async () => {
    const visitor = await visit('quiz')
    const form = text(await visitor.request('GET', '/'))
    expect(form).toContain('name="planet" value="1"')
    expect((await visitor.form('/answers', { planet: '1', water: '2' })).status).toBe(303)
    const last = await visitor.form('/answers', { planet: '0' })
    expect(header(last, 'location')).toBe('/results')
    const results = text(await visitor.request('GET', '/results'))
    const planet = results.slice(results.indexOf('id="results-planet"'), results.indexOf('id="results-water"'))
    expect(planet).toContain('Answers: 2')
    expect(planet.match(/class="count">(\d+)</g)).toEqual(['class="count">1<', 'class="count">1<', 'class="count">0<', 'class="count">0<'])
  })

  it('a form with no valid answer is refused', async () => {
    const visitor = await visit('quiz')
    const response = await visitor.form('/answers', { planet: '9' })
    expect(response.status).toBe(400)
    expect(text(response)).toContain('Pick an answer')
  })
})

describe('chat', () => {
  it('a posted message comes back from the polled JSON route', async () => {
    const visitor = await visit('chat')
    expect((await visitor.request('GET', '/chat.js')).status).toBe(200)
    const posted = await visitor.json('POST', '/api/messages', { name: 'Ada', text: 'hi <b>all</b>' })
    expect(posted.status).toBe(201)
    const message = JSON.parse(text(posted))
    expect(message).toMatchObject({ name: 'Ada', text: 'hi <b>all</b>', at: expect.any(Number) })
    const poll = await visitor.request('GET', `/api/messages?since=${message.at}`)
    expect(header(poll, 'content-type')).toMatch(/^application\/json/)
    expect(JSON.parse(text(poll)).messages).toEqual([message])
    const later = JSON.parse(text(await visitor.request('GET', `/api/messages?since=${message.at + 1}`)))
    expect(later.messages).toEqual([])
  })

  it('a message without a name is refused with 400', async () => {
    const visitor = await visit('chat')
    expect((await visitor.json('POST', '/api/messages', { name: '', text: 'hi' })).status).toBe(400)
  })
})

describe('blog', () => {
  it('a new member registers, is signed in, and publishes a post', async () => {
    const visitor = await visit('blog')
    expect(text(await visitor.request('GET', '/'))).toContain('No posts yet.')
    const registered = await visitor.form('/register', { name: 'ada', password: 'secret123' })
    expect(registered.status).toBe(303)
    expect(text(await visitor.request('GET', '/'))).toContain('Signed in as ada')
    const published = await visitor.form('/posts', { title: 'Hello', body: 'First post' })
    expect(published.status).toBe(303)
    const post = await visitor.request('GET', header(published, 'location') ?? '')
    expect(text(post)).toContain('<h1 id="post-title">Hello</h1>')
  })
})

describe('blog pictures', () => {
  const PNG = new Uint8Array([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
  const signedIn = async () => {
    const visitor = await visit('blog')
    await visitor.form('/register', { name: 'ada', password: 'secret123' })
    return visitor
  }

  it.each([
    ['HTML claimed to be a PNG', 'image/png', '<script>alert(document.cookie)</script>'],
    ['HTML as itself', 'text/html', '<!doctype html><script>alert(1)</script>'],
    ['an SVG, which can run scripts', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'],
  ])('refuses %s with 400, and publishes nothing', async (_case, type, content) => {
    const visitor = await signedIn()
    const response = await visitor.upload('/posts', { title: 'Evil', body: '' }, { field: 'image', name: 'cat.png', type, bytes: new TextEncoder().encode(content) })
    expect(response.status).toBe(400)
    expect(text(response)).toContain('The picture must be a PNG, JPEG, GIF or WebP image.')
    expect(text(await visitor.request('GET', '/'))).toContain('No posts yet.')
  })

  it('serves a real picture with the type its bytes say, whatever was claimed, and nosniff', async () => {
    const visitor = await signedIn()
    const published = await visitor.upload('/posts', { title: 'Cat', body: '' }, { field: 'image', name: 'cat.html', type: 'text/html', bytes: PNG })
    expect(published.status).toBe(303)
    const picture = await visitor.request('GET', `${header(published, 'location')}/image`)
    expect(picture.status).toBe(200)
    expect(header(picture, 'content-type')).toBe('image/png')
    expect(header(picture, 'x-content-type-options')).toBe('nosniff')
    expect(header(picture, 'content-security-policy')).toContain('sandbox')
  })
})
