import { VServerError } from '../types'

/** Where views live in a site. */
export const VIEWS_DIR = 'views'
const EXTENSION = '.mustache'
const PART = /^[\w.-]+$/

function normalise(name: string, kind: 'view' | 'partial'): string {
  const bare = name.replace(/^\/+/, '').replace(/\.mustache$/, '')
  const parts = bare.split('/')
  if (bare === '' || parts.some(part => !PART.test(part) || part === '.' || part === '..')) {
    throw new VServerError(500, `${kind} name ${JSON.stringify(name)} is not valid: use names like "post" or "blog/post" (letters, digits, _ . - and /)`)
  }
  return bare
}

/** The file of a view: `post`, `post.mustache` and `/post` are `views/post.mustache`; `blog/post` is `views/blog/post.mustache`. */
export function viewPath(name: string): string {
  return `${VIEWS_DIR}/${normalise(name, 'view')}${EXTENSION}`
}

/** Where a partial `{{> name}}` may live, in the order they are tried: `views/<name>.mustache`, then `views/partials/<name>.mustache`. */
export function partialPaths(name: string): [string, string] {
  const bare = normalise(name.trim(), 'partial')
  return [`${VIEWS_DIR}/${bare}${EXTENSION}`, `${VIEWS_DIR}/partials/${bare}${EXTENSION}`]
}
