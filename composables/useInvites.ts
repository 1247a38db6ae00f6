import type { HostRuntime } from '../lib/host/runtime'
import { authorRole, siteInviteLink } from '../lib/studio/credentials'
import { useRuntimeAttempt } from './useRuntimeAttempt'

/** The owner's invite for co-authors: minted by the server when asked, revocable, with the link that carries it. */
export function useInvites(site: string, runtime: () => HostRuntime | null) {
  const minted = shallowRef<{ code: string, expiresAt: number } | null>(null)
  const { problem, attempt } = useRuntimeAttempt(runtime)
  const canInvite = computed(() => runtime() !== null && authorRole(localStorage, site) === 'owner')
  const link = computed(() => (minted.value ? siteInviteLink(localStorage, location.origin, site, minted.value.code) : ''))

  return {
    link,
    expiresAt: computed(() => minted.value?.expiresAt ?? null),
    problem,
    canInvite,
    /** Mint an invite, unless one is in hand. */
    mint: () => attempt(async (current) => {
      if (!minted.value && canInvite.value) minted.value = await current.mintInvite()
    }),
    /** Revoke the invite in hand: its link enrols no one from now on. */
    revoke: () => attempt(async (current) => {
      if (minted.value) await current.revokeInvite(minted.value.code)
      minted.value = null
    }),
  }
}
