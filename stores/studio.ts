import { defineStore } from 'pinia'

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

  function setDirty(path: string, isDirty: boolean) {
    const others = dirty.value.filter(candidate => candidate !== path)
    dirty.value = isDirty ? [...others, path] : others
    if (path === openPath.value && save.value.state !== 'saving') save.value = { state: isDirty ? 'unsaved' : 'saved' }
  }

  return { openPath, dirty, save, upload, fileProblem, panel, setDirty }
})
