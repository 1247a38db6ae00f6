import { defineStore } from 'pinia'
import { withDirty } from '../lib/studio/file-list'

/** Where the file being edited stands. */
export type SaveState = { state: 'saved' } | { state: 'unsaved' } | { state: 'saving' } | { state: 'failed', message: string }

/** UI state of the studio: the open file, unsaved files, uploads in progress, the last problem to show. */
export const useStudioStore = defineStore('studio', () => {
  const openPath = ref<string | null>(null)
  const dirty = ref<string[]>([])
  const save = ref<SaveState>({ state: 'saved' })
  const upload = ref<{ done: number, total: number, files: number, current: string } | null>(null)
  const fileProblem = ref('')
  const panel = ref<'requests' | 'database' | 'visitors' | 'settings'>('requests')

  /** Mark `path` unsaved or not; what did not change is left alone (a keystroke in a draft re-renders nothing here). */
  function setDirty(path: string, isDirty: boolean) {
    dirty.value = withDirty(dirty.value, path, isDirty)
    const state = isDirty ? 'unsaved' : 'saved'
    if (path === openPath.value && save.value.state !== 'saving' && save.value.state !== state) save.value = { state }
  }

  return { openPath, dirty, save, upload, fileProblem, panel, setDirty }
})
