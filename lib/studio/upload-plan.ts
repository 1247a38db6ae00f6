const SITE_FOLDERS = ['public/', 'routes/', 'views/', 'lib/']

/** Where uploaded files go, and whether they are a whole site that replaces the current one. */
export interface UploadPlan {
  paths: string[]
  replacesSite: boolean
}

/**
 * Where uploaded files go in the site. A picked folder arrives as
 * "folder/a/b.css" and loses its own name; when it is laid out as a site
 * (it has public/, routes/, views/ or lib/) it is the whole site and its
 * paths stay as they are; otherwise everything is a static file under public/.
 */
export function planUpload(relativePaths: string[]): UploadPlan {
  const inner = relativePaths.map(path => (path.includes('/') ? path.slice(path.indexOf('/') + 1) : path))
  const isFolder = relativePaths.length > 0 && relativePaths.every(path => path.includes('/'))
  const laidOut = isFolder && inner.some(path => SITE_FOLDERS.some(folder => path.startsWith(folder)))
  return { paths: inner.map(path => (laidOut ? path : `public/${path}`)), replacesSite: laidOut }
}
