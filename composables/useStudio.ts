import type { EffectScope, ShallowRef } from 'vue'
import type { HostRuntime } from '../lib/host/runtime'
import { loadTemplate } from '../lib/host/template'
import type { SiteDoc } from '../lib/site'
import { openPersistedSite, type PersistedSite } from '../lib/site/persisted'
import { openStudio, StudioOpenError, type OpenedStudio, type OpenStudioOptions } from '../lib/studio/open-studio'
import { takePendingImport } from '../lib/studio/pending-import'
import { browserAuthorKey } from '../lib/studio/author-key'
import { enrolWithInvite } from '../lib/host/enrol'
import { errorMessage } from '../shared/error-message'
import { useHostStore } from '../stores/host'
import { useCoAuthors } from './useCoAuthors'
import { useHost } from './useHost'
import { useSaving } from './useSaving'
import { useSiteFiles } from './useSiteFiles'
import { socketUrl } from '../lib/peer/socket-url'

/** The live co-authoring of the open site (useCoAuthors). */
type CoAuthors = ReturnType<typeof useCoAuthors>

/** An invitation waiting for the person's answer: co-author `site`, yes or no. */
export interface InviteQuestion {
  site: string
  answer(yes: boolean): void
}

/** What the open sequence shows while it runs: co-authors once joined, an invitation to answer. */
interface StudioUi {
  coAuthors: ShallowRef<CoAuthors | null>
  inviteQuestion: ShallowRef<InviteQuestion | null>
}

/** The open studio's site, its storage and its host runtime. */
export interface StudioState {
  site: SiteDoc
  persisted: PersistedSite
  runtime: HostRuntime
}

/** What the author is told when the studio cannot open; nothing for a refused name (the header says it) or a page left. */
function openFailure(error: unknown): string {
  if (!(error instanceof StudioOpenError)) return `The studio could not open: ${errorMessage(error)}`
  return error.kind === 'refused' || error.kind === 'aborted' ? '' : error.message
}

/** Run `make` in `scope`; a stopped scope (the page left) aborts the open. */
function inScope<T>(scope: EffectScope, make: () => T): T {
  const made = scope.run(make)
  if (made === undefined) throw new StudioOpenError('aborted', 'the studio was closed while it opened')
  return made
}

/** Opening the studio in this browser: its address, storage, IndexedDB, and the composables of `scope`. */
function browserOptions(name: string, template: string | undefined, scope: EffectScope, ui: StudioUi): OpenStudioOptions {
  const host = useHostStore()
  return {
    name,
    template,
    hash: location.hash,
    clearHash: () => history.replaceState(history.state, '', location.pathname + location.search),
    confirmInvite: site => new Promise((resolve) => {
      ui.inviteQuestion.value = { site, answer: (yes) => {
        ui.inviteQuestion.value = null
        resolve(yes)
      } }
    }),
    storage: localStorage,
    enrol: async (site, code) => enrolWithInvite(socketUrl('/_ps/signal'), site, code, await browserAuthorKey()),
    openSite: openPersistedSite,
    createRuntime: site => inScope(scope, () => useHost(name, site)),
    joinRoom: (site, key) => {
      const coAuthors = inScope(scope, () => useCoAuthors(name, site.doc, key, browserAuthorKey))
      ui.coAuthors.value = coAuthors
      return coAuthors
    },
    onSyncing: () => { host.status = 'syncing' },
    pendingImport: () => takePendingImport(name),
    loadTemplate: (id, files) => loadTemplate(id, files),
  }
}

/** Ask before leaving while drafts are still being written to IndexedDB (the last keystrokes would be lost). */
function useLeaveGuard(writing: () => boolean) {
  const guard = (event: BeforeUnloadEvent) => {
    if (writing()) event.preventDefault()
  }
  onMounted(() => addEventListener('beforeunload', guard))
  onBeforeUnmount(() => removeEventListener('beforeunload', guard))
}

/**
 * The studio of site `name` (lib/studio/open-studio.ts): opened when the
 * page mounts, with co-authors and the host runtime in this component's
 * scope, and closed when it unmounts. A null name (not a valid one) opens nothing.
 */
export function useStudio(name: string | null, template?: string) {
  const scope = effectScope()
  const controller = new AbortController()
  const state = shallowRef<StudioState | null>(null)
  const failure = ref('')
  const notice = ref('')
  const ui: StudioUi = { coAuthors: shallowRef(null), inviteQuestion: shallowRef(null) }
  let opened: OpenedStudio | null = null

  onMounted(async () => {
    if (name === null) return
    try {
      opened = await openStudio({ ...browserOptions(name, template, scope, ui), signal: controller.signal })
    }
    catch (error) {
      failure.value = openFailure(error)
      if (failure.value) useHostStore().status = 'idle'
      return
    }
    failure.value = opened.seedProblem ?? ''
    notice.value = opened.notice ?? ''
    state.value = markRaw({ site: opened.persisted.site, persisted: opened.persisted, runtime: opened.runtime })
  })
  useLeaveGuard(() => opened?.persisted.writing() ?? false)
  onBeforeUnmount(() => {
    controller.abort()
    scope.stop()
    void opened?.close()
  })

  const siteFiles = useSiteFiles(() => state.value?.site ?? null)
  return { state, failure, notice, ...ui, ...siteFiles, ...useSaving(state) }
}
