const SITE_FOLDERS = ['public/', 'routes/', 'views/', 'lib/']

/**
 * Where uploaded files go in the site. A picked folder arrives as
 * "folder/a/b.css" and loses its own name; when it is laid out as a site
 * (it has public/, routes/, views/ or lib/) the paths stay as they are,
 * otherwise everything is a static file under public/.
 */
export function sitePathsForUpload(relativePaths: string[]): string[] {
  const inner = relativePaths.map(path => (path.includes('/') ? path.slice(path.indexOf('/') + 1) : path))
  const isFolder = relativePaths.every(path => path.includes('/'))
  const laidOut = isFolder && inner.some(path => SITE_FOLDERS.some(folder => path.startsWith(folder)))
  return inner.map(path => (laidOut ? path : `public/${path}`))
}
