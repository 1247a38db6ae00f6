import type { SiteDoc } from '../lib/site'
import type { FileEntry } from '../lib/vserver/files'
import { useStudioStore } from '../stores/studio'

/** The open site's files and folders for the tree, and which files have unsaved drafts, kept current. */
export function useSiteFiles(site: () => SiteDoc | null) {
  const studio = useStudioStore()
  const files = shallowRef<FileEntry[]>([])
  const folders = shallowRef<string[]>([])
  let stop = () => {}

  async function refresh() {
    const current = site()
    if (!current) return
    files.value = await current.files.list()
    folders.value = current.files.folders()
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
