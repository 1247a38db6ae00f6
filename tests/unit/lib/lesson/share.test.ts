import { describe, expect, it } from 'vitest'
import { VISITOR_NAME_KEY } from '../../../../shared/storage-keys'
import { cleanVisitorName, formatJoinCode, joinPageUrl, readVisitorName, rememberVisitorName, shareQrTarget, visitorJoinUrl, type NameStorage } from '../../../../lib/lesson/share'

function memoryStorage(): NameStorage & { map: Map<string, string> } {
  const map = new Map<string, string>()
  return { map, getItem: key => map.get(key) ?? null, setItem: (key, value) => map.set(key, value), removeItem: key => map.delete(key) }
}

describe('share helpers', () => {
  it.each([
    ['BCDFGH', 'BCD-FGH'],
    ['BCDF', 'BCDF'],
    ['', ''],
  ])('format %j for reading as %j', (code, shown) => {
    expect(formatJoinCode(code)).toBe(shown)
  })

  it('build the join page address, with or without a code', () => {
    expect(joinPageUrl('http://localhost:3000')).toBe('http://localhost:3000/join')
    expect(joinPageUrl('https://example.edu/', 'BCDFGH')).toBe('https://example.edu/join?code=BCDFGH')
  })

  it('point the QR code at the join page once there is a code, at the site before', () => {
    expect(shareQrTarget('http://localhost:3000', 'http://blog.localhost:3000/', 'BCDFGH')).toBe('http://localhost:3000/join?code=BCDFGH')
    expect(shareQrTarget('http://localhost:3000', 'http://blog.localhost:3000/', null)).toBe('http://blog.localhost:3000/')
  })

  it('send a visitor to the site with ps-join, and ps-name when a name is given', () => {
    expect(visitorJoinUrl('http://blog.localhost:3000/', '')).toBe('http://blog.localhost:3000/?ps-join=1')
    const url = new URL(visitorJoinUrl('https://blog.sites.example.edu/', '  Ada   Lovelace & co '))
    expect(url.origin).toBe('https://blog.sites.example.edu')
    expect(url.searchParams.get('ps-join')).toBe('1')
    expect(url.searchParams.get('ps-name')).toBe('Ada Lovelace & co')
  })

  it('tidy names and cut them at 40 characters, emoji kept whole', () => {
    expect(cleanVisitorName(' \t ')).toBe('')
    expect(cleanVisitorName('a\nb')).toBe('a b')
    expect(cleanVisitorName('😀'.repeat(50))).toBe('😀'.repeat(40))
  })

  it('remember the visitor name, and forget it when cleared', () => {
    const storage = memoryStorage()
    expect(readVisitorName(storage)).toBe('')
    rememberVisitorName(storage, ' Grace ')
    expect(storage.map.get(VISITOR_NAME_KEY)).toBe('Grace')
    expect(readVisitorName(storage)).toBe('Grace')
    rememberVisitorName(storage, '')
    expect(storage.map.has(VISITOR_NAME_KEY)).toBe(false)
  })
})
