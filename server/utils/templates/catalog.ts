import { loadTemplateCatalog, type TemplateCatalog, type TemplateLog } from './load'

// In development the catalog is reloaded per request: say each problem once.
const reported = new Set<string>()
const log: TemplateLog = {
  warn(message) {
    if (reported.has(message)) return
    reported.add(message)
    console.warn(`[templates] ${message}`)
  },
}
let loaded: Promise<TemplateCatalog> | undefined

/**
 * The gallery from the `templates/` folder (Nitro server assets), loaded and
 * checked on first use, invalid templates reported once and left out. In
 * development it is read again on every call, so template edits show at once.
 */
export function useTemplateCatalog(): Promise<TemplateCatalog> {
  if (!loaded || import.meta.dev) {
    const loading = loadTemplateCatalog(useStorage('assets:templates'), log)
    // A failed read (not an invalid template) is retried on the next request.
    loading.catch(() => {
      if (loaded === loading) loaded = undefined
    })
    loaded = loading
  }
  return loaded
}
