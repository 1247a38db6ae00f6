import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openSiteDoc } from '../../../../lib/site'
import { createDatabase } from '../../../../lib/vserver/db'
import { exchange, sitePair, snapshot } from './helpers'
import { MAX_SANDBOX_ORIGINS } from '../../../../shared/protocol/sandbox'

describe('SiteSettings', () => {
  it('defaults to a 5 s time limit and live reload on', () => {
    const site = openSiteDoc()
    expect(site.settings.values()).toEqual({ timeLimitSeconds: 5, liveReload: true, allowedOrigins: [] })
  })

  it.each([0, 0.5, 121, Number.NaN, Infinity, -3])('refuses a time limit of %s with a RangeError', (seconds) => {
    const site = openSiteDoc()
    expect(() => site.settings.setTimeLimitSeconds(seconds)).toThrow(RangeError)
    expect(() => site.settings.setTimeLimitSeconds(seconds)).toThrow(/from 1 to 120/)
    expect(site.settings.timeLimitSeconds).toBe(5)
  })

  it('reads a malformed remote value as the default', () => {
    const doc = new Y.Doc()
    doc.getMap('settings').set('timeLimitSeconds', 'lots')
    expect(openSiteDoc(doc).settings.timeLimitSeconds).toBe(5)
  })

  it('reports changed keys for local and remote changes', () => {
    const { a, b } = sitePair()
    const heard: string[][] = []
    b.settings.onChange(keys => heard.push(keys))
    b.settings.setTimeLimitSeconds(30)
    a.settings.setLiveReload(false)
    a.settings.setLiveReload(false)
    expect(heard).toEqual([['timeLimitSeconds'], ['liveReload']])
    expect(a.settings.values()).toEqual({ timeLimitSeconds: 30, liveReload: false, allowedOrigins: [] })
  })
})

describe('two site docs exchanging updates', () => {
  it('converge: files, folders, database and settings', async () => {
    const a = openSiteDoc(undefined, { now: () => 7 })
    const b = openSiteDoc(undefined, { now: () => 7 })
    await a.files.write('public/index.html', '<h1>a</h1>')
    await b.files.write('public/logo.png', new Uint8Array([0x89, 0x50, 0x4E, 0x47]))
    b.files.addFolder('views/partials')
    await createDatabase(a.documents).collection('posts').insert([{ _id: '1' }, { _id: '2' }])
    await createDatabase(b.documents).collection('posts').insert({ _id: '0' })
    await createDatabase(b.documents).collection('users').insert({ _id: 'u' })
    a.settings.setTimeLimitSeconds(12)
    exchange(a.doc, b.doc)
    expect(await snapshot(b)).toEqual(await snapshot(a))
    expect(await b.files.read('public/index.html')).toEqual(new TextEncoder().encode('<h1>a</h1>'))
    expect(b.files.folders()).toContain('views/partials')
    expect(b.documents.collections()).toEqual(['posts', 'users'])
    expect(b.settings.timeLimitSeconds).toBe(12)
  })

  it('opens a doc that already holds a site (a reload from persistence)', async () => {
    const a = openSiteDoc()
    await a.files.write('public/a.txt', 'x')
    a.documents.set('c', { _id: '1', v: true })
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(a.doc))
    const reopened = openSiteDoc(copy)
    expect(await snapshot(reopened)).toEqual(await snapshot(a))
  })

  it('destroy stops the views, and destroys only a doc it created', async () => {
    const given = new Y.Doc()
    const site = openSiteDoc(given)
    const heard: string[][] = []
    site.files.onChange(paths => heard.push(paths))
    site.destroy()
    await site.files.write('a.txt', 'x')
    expect(heard).toEqual([])
    expect(given.isDestroyed).toBe(false)
    const own = openSiteDoc()
    own.destroy()
    expect(own.doc.isDestroyed).toBe(true)
  })
})

describe('the session secret', () => {
  it('is made once and then shared with every peer', () => {
    const a = openSiteDoc()
    const b = openSiteDoc()
    const secret = a.settings.sessionSecret(() => 'x'.repeat(40))
    expect(a.settings.sessionSecret(() => 'y'.repeat(40))).toBe(secret)
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc))
    expect(b.settings.sessionSecret(() => 'z'.repeat(40))).toBe(secret)
    expect(Object.keys(a.settings.values())).not.toContain('sessionSecret')
  })

  it('refuses a short secret', () => {
    expect(() => openSiteDoc().settings.sessionSecret(() => 'short')).toThrow(/at least 32/)
  })
})

describe('the lesson state', () => {
  it('shares where the leader is and who was removed with every peer, and ignores a malformed leader', () => {
    const a = openSiteDoc()
    const b = openSiteDoc()
    const heard: unknown[] = []
    b.lesson.onLeader(report => heard.push(report))
    a.lesson.setLeader({ path: '/results', scroll: 0.5 })
    a.lesson.remove('student-7', 'Bob')
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc))
    expect(b.lesson.leader()).toEqual({ path: '/results', scroll: 0.5 })
    expect(heard).toEqual([{ path: '/results', scroll: 0.5 }])
    expect(b.lesson.isRemoved('student-7')).toBe(true)
    b.doc.getMap('lesson').set('leader', { path: 'javascript:alert(1)', scroll: 0 })
    expect(b.lesson.leader()).toBeNull()
  })

  it('makes the lead key once', () => {
    const site = openSiteDoc()
    const key = site.settings.leadKey(() => 'k'.repeat(24))
    expect(site.settings.leadKey(() => 'other-key-of-24-chars!!')).toBe(key)
  })
})

describe('SiteSettings.allowedOrigins', () => {
  it('keeps checked origins, without duplicates, and survives a round trip through values()', () => {
    const site = openSiteDoc()
    site.settings.setAllowedOrigins(['https://api.example.com', 'http://localhost:8080', 'https://api.example.com'])
    expect(site.settings.allowedOrigins).toEqual(['https://api.example.com', 'http://localhost:8080'])
    expect(site.settings.values().allowedOrigins).toEqual(['https://api.example.com', 'http://localhost:8080'])
  })

  it(`takes at most MAX_SANDBOX_ORIGINS (${MAX_SANDBOX_ORIGINS}) origins`, () => {
    const site = openSiteDoc()
    const origins = Array.from({ length: MAX_SANDBOX_ORIGINS + 1 }, (_, i) => `https://h${i}.example`)
    site.settings.setAllowedOrigins(origins.slice(0, MAX_SANDBOX_ORIGINS))
    expect(site.settings.allowedOrigins).toHaveLength(MAX_SANDBOX_ORIGINS)
    expect(() => site.settings.setAllowedOrigins(origins)).toThrow(`at most ${MAX_SANDBOX_ORIGINS} origins`)
    expect(site.settings.allowedOrigins).toHaveLength(MAX_SANDBOX_ORIGINS)
  })

  it.each([
    ['a path', 'https://api.example.com/v1'],
    ['a wildcard', 'https://*.example.com'],
    ['a CSP keyword', "'unsafe-inline'"],
    ['a CSP injection', 'https://a.example; script-src *'],
    ['another scheme', 'ws://a.example'],
    ['not a URL', 'example.com'],
  ])('refuses %s and changes nothing', (_case, origin) => {
    const site = openSiteDoc()
    site.settings.setAllowedOrigins(['https://kept.example'])
    expect(() => site.settings.setAllowedOrigins([origin])).toThrow('is not an origin')
    expect(site.settings.allowedOrigins).toEqual(['https://kept.example'])
  })

  it('a bad list written by a peer grants nothing', () => {
    const site = openSiteDoc()
    site.doc.getMap('settings').set('allowedOrigins', ['https://ok.example', '*'])
    expect(site.settings.allowedOrigins).toEqual([])
  })
})
