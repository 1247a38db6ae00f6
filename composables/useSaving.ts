import { checkRouteFile } from '../lib/vserver/modules/check'
import type { PersistedSite } from '../lib/site/persisted'
import { errorMessage } from '../shared/error-message'
import { useHostStore } from '../stores/host'
import { useStudioStore } from '../stores/studio'

/** Saving drafts for visitors, with the save state in the studio store and broken routes reported in the log. */
export function useSaving(state: Ref<{ persisted: PersistedSite } | null>) {
  const host = useHostStore()
  const studio = useStudioStore()

  /** Tell the author about a broken route or lib module at save time; it answers 500 until fixed. */
  function checkModule(path: string, text: string) {
    if (!/^(routes|lib)\/.*\.m?js$/.test(path)) return
    const check = checkRouteFile(text, path)
    if (!check.ok) host.addLog({ note: `${check.file}:${check.line}:${check.column}: ${check.message}` })
  }

  /** Publish the draft of `path` to visitors, written to IndexedDB before it says "saved". */
  async function save(path: string) {
    const persisted = state.value?.persisted
    if (!persisted) return
    studio.save = { state: 'saving' }
    try {
      persisted.site.files.save(path)
      await persisted.flush()
      studio.save = { state: 'saved' }
      checkModule(path, persisted.site.files.readText(path) ?? '')
    }
    catch (error) {
      studio.save = { state: 'failed', message: errorMessage(error) }
    }
  }

  return { save, checkModule }
}
