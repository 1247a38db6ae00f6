import { hashPassword, randomId, sha256, verifyPassword } from '../crypto'
import { readBody, readMultipartFormData, readRawBody } from './body/read-body'
import { deleteCookie, getCookie, parseCookies, setCookie } from './cookies'
import { createError, isError } from './errors'
import { defineHandler } from './handler'
import { getHeader, getHeaders, getMethod, getQuery, getRequestURL, getRouterParam, getRouterParams } from './request'
import { appendHeader, getResponseHeader, sendRedirect, setHeader, setResponseStatus } from './response'
import { useSession } from './session/session'

/**
 * The helpers route files use without importing them, as Nuxt auto-imports
 * h3's. `render` and `db` are per site and added by `installGlobals`.
 * `SITE_GLOBALS_DTS` declares every one of them for the editor.
 */
export const SITE_HELPERS = {
  defineHandler,
  defineEventHandler: defineHandler,
  eventHandler: defineHandler,
  getQuery,
  getRouterParam,
  getRouterParams,
  getHeader,
  getRequestHeader: getHeader,
  getHeaders,
  getRequestHeaders: getHeaders,
  getMethod,
  getRequestURL,
  readBody,
  readRawBody,
  readMultipartFormData,
  setHeader,
  setResponseHeader: setHeader,
  appendHeader,
  getResponseHeader,
  setResponseStatus,
  sendRedirect,
  createError,
  isError,
  getCookie,
  parseCookies,
  setCookie,
  deleteCookie,
  useSession,
  hashPassword,
  verifyPassword,
  randomId,
  sha256,
} as const
