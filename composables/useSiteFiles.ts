import type { SiteDoc } from '../lib/site'
import type { FileEntry } from '../lib/vserver/files'
import { useStudioStore } from '../stores/studio'
import { sameListing, sameNames } from '../lib/studio/file-list'

/** The open site's files and folders for the tree, and which files have unsaved drafts, kept current. */
export function useSiteFiles(site: () => SiteDoc | null) {
  const studio = useStudioStore()
  const files = shallowRef<FileEntry[]>([])
  const folders = shallowRef<string[]>([])
  let stop = () => {}

  async function refresh() {
    const current = site()
    if (!current) return
    // A draft's keystroke changes neither list: the tree keeps the ones it has.
    const listed = await current.files.list()
    if (!sameListing(files.value, listed)) files.value = listed
    const listedFolders = current.files.folders()
    if (!sameNames(folders.value, listedFolders)) folders.value = listedFolders
  }

  watch(site, (current) => {
    stop()
    if (!current) return
    studio.dirty = current.files.dirtyPaths()
    stop = current.files.onChange((paths) => {
      for (const path of paths) studio.setDirty(path, current.files.isDirty(path))
      void refresh()
    })
    void refresh()
  })
  onScopeDispose(() => stop())
  return { files, folders, refresh }
}
