/** One entry of an archive, its path checked and without the trailing "/" of a directory. */
export interface ArchiveEntry {
  path: string
  dir: boolean
  bytes: Uint8Array
}

/** Where an exported site keeps what is not a file: the manifest, settings and database. */
export const META_FOLDER = '.peerserver'
/** The manifest that marks an archive as an exported site. */
export const MANIFEST_PATH = `${META_FOLDER}/site.json`

const SITE_FOLDERS = ['public', 'routes', 'views', 'lib']

/** Entries archivers add that are no part of a site: macOS resource forks and Finder files. */
export function isJunk(name: string): boolean {
  return name === '__MACOSX' || name.startsWith('__MACOSX/') || name === '.DS_Store' || name.endsWith('/.DS_Store')
}

function isManifest(entry: ArchiveEntry): boolean {
  return !entry.dir && entry.path === MANIFEST_PATH
}

/** The one folder every entry is in (a zipped folder `mysite/…`), or null. */
function singleTop(entries: ArchiveEntry[]): string | null {
  let top: string | null = null
  for (const entry of entries) {
    const slash = entry.path.indexOf('/')
    const first = slash >= 0 ? entry.path.slice(0, slash) : entry.dir ? entry.path : null
    if (first === null || (top !== null && first !== top)) return null
    top = first
  }
  return top
}

function strip(entries: ArchiveEntry[], top: string): ArchiveEntry[] {
  return entries.filter(entry => entry.path !== top).map(entry => ({ ...entry, path: entry.path.slice(top.length + 1) }))
}

function isLaidOut(entries: ArchiveEntry[]): boolean {
  return entries.some(({ path, dir }) => SITE_FOLDERS.some(folder => path.startsWith(`${folder}/`) || (dir && path === folder)))
}

/**
 * Where an archive's entries go in the site. An exported site (it has the
 * manifest, maybe inside one top folder) keeps its paths. Otherwise it is a
 * plain folder, the rule of `planUpload` (lib/studio/upload-plan.ts): a single
 * top folder is dropped (unless it is itself `public/`, `routes/`, `views/`
 * or `lib/`); then paths stay when the site is laid out with those folders,
 * or else everything goes under `public/`. (`planUpload` itself always drops
 * the first segment, as a picked folder always has one; a zip need not.)
 */
export function layOut(entries: ArchiveEntry[]): { entries: ArchiveEntry[], exported: boolean } {
  if (entries.some(isManifest)) return { entries, exported: true }
  const top = singleTop(entries)
  let plain = entries
  if (top !== null) {
    const inner = strip(entries, top)
    if (inner.some(isManifest)) return { entries: inner, exported: true }
    if (!SITE_FOLDERS.includes(top)) plain = inner
  }
  if (isLaidOut(plain)) return { entries: plain, exported: false }
  return { entries: plain.map(entry => ({ ...entry, path: `public/${entry.path}` })), exported: false }
}
