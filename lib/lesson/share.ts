import { VISITOR_NAME_KEY } from '../../shared/storage-keys'
import { JOIN_CODE_LENGTH } from '../../shared/protocol/lesson'

/** Longest visitor name kept; the rest is cut. */
export const VISITOR_NAME_MAX = 40

/** The part of `Storage` the name needs (localStorage in the app, a Map in tests). */
export interface NameStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

/** A join code for reading aloud or off a screen: BCDFGH → BCD-FGH; anything else unchanged. */
export function formatJoinCode(code: string): string {
  if (code.length !== JOIN_CODE_LENGTH) return code
  const half = JOIN_CODE_LENGTH / 2
  return `${code.slice(0, half)}-${code.slice(half)}`
}

/** The join page on the app's origin, with the code filled in when there is one. */
export function joinPageUrl(appOrigin: string, code?: string | null): string {
  const base = `${appOrigin.replace(/\/+$/, '')}/join`
  return code ? `${base}?code=${encodeURIComponent(code)}` : base
}

/** What the share panel's QR code opens: the join page with the code, or the site itself before there is a code. */
export function shareQrTarget(appOrigin: string, siteUrl: string, code: string | null): string {
  return code ? joinPageUrl(appOrigin, code) : siteUrl
}

/** A visitor name as typed, tidied: spaces collapsed and trimmed, at most VISITOR_NAME_MAX characters. */
export function cleanVisitorName(name: string): string {
  return [...name.replace(/\s+/g, ' ').trim()].slice(0, VISITOR_NAME_MAX).join('').trim()
}

/** Where the join page sends a visitor: the site, told to join the lesson (`ps-join=1`) under `name` (`ps-name`) if given. */
export function visitorJoinUrl(siteUrl: string, name: string): string {
  const url = new URL(siteUrl)
  url.searchParams.set('ps-join', '1')
  const clean = cleanVisitorName(name)
  if (clean) url.searchParams.set('ps-name', clean)
  return url.href
}

/** The visitor name this browser last joined with, or ''. */
export function readVisitorName(storage: NameStorage): string {
  return cleanVisitorName(storage.getItem(VISITOR_NAME_KEY) ?? '')
}

/** Remember the visitor name for next time; an empty name forgets it. */
export function rememberVisitorName(storage: NameStorage, name: string): void {
  const clean = cleanVisitorName(name)
  if (clean) storage.setItem(VISITOR_NAME_KEY, clean)
  else storage.removeItem(VISITOR_NAME_KEY)
}
