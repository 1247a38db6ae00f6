import { fileURLToPath } from 'node:url'
import { DEFAULT_SERVER_LIMITS } from './server/utils/limits/defaults'
import { DEFAULT_HOST_LIMITS } from './lib/host/host-limits'

// https://nuxt.com/docs/api/configuration/nuxt-config
export default defineNuxtConfig({
  compatibilityDate: '2026-11-01',
  srcDir: '.',
  // Nuxt externalises its `shared` dir from the Vue server bundle and then writes the
  // import paths one level off (Could not resolve "../../../../../shared/…"), so our
  // shared/ code is imported by relative path and bundled like any other module.
  dir: { shared: 'nuxt-shared' },
  modules: ['@pinia/nuxt', '@nuxt/eslint', './modules/visitor-bundle'],
  devtools: { enabled: false },
  // Screen readers pick the voice by the page's language.
  app: { head: { htmlAttrs: { lang: 'en' } } },
  telemetry: false,
  // Sites under tests/fixtures are plain browser JS for the virtual server (some broken on purpose).
  typescript: { strict: true, tsConfig: { exclude: ['../tests/fixtures/**'] } },
  runtimeConfig: {
    // The server's limits on hostile clients (server/utils/limits/defaults.ts says why each default fits a
    // class behind one school NAT address). Env: NUXT_LIMITS_<NAME>, e.g. NUXT_LIMITS_MAX_VISITS_PER_SOCKET=32.
    limits: { ...DEFAULT_SERVER_LIMITS },
    // Take the client address for per-address limits from X-Forwarded-For: only behind a proxy that sets it. Env: NUXT_TRUST_PROXY=true.
    trustProxy: false,
    // TURN (coturn with use-auth-secret): each visit gets a credential minted with the secret, valid ttlSeconds (≤ 3600).
    // Server-only: the secret never reaches a page. None by default. Env: NUXT_TURN_URLS='["turn:turn.example.org:3478"]',
    // NUXT_TURN_SECRET (coturn's static-auth-secret), NUXT_TURN_TTL_SECONDS.
    turn: { urls: [] as string[], secret: '', ttlSeconds: 3600 },
    // Several instances behind one address share Redis: signaling state, Yjs rooms and the registry's storage
    // (server/utils/backplane). Empty: one process, embedded storage. Env: NUXT_REDIS_URL=redis://127.0.0.1:6379.
    redis: { url: '' },
    public: {
      // Origin of each visited site; {site} and optional {port} (of the request). Env: NUXT_PUBLIC_SITE_ORIGIN.
      siteOrigin: 'http://{site}.localhost:{port}',
      // STUN/TURN servers for WebRTC, as RTCIceServer objects. Env: NUXT_PUBLIC_ICE_SERVERS='[{"urls":"stun:…"}]'.
      iceServers: [] as Array<{ urls: string | string[], username?: string, credential?: string }>,
      // The host tab's limits on its visitors (lib/host/host-limits.ts). Env: NUXT_PUBLIC_HOST_LIMITS_<NAME>, e.g. NUXT_PUBLIC_HOST_LIMITS_MAX_CONCURRENT_STREAMS=50.
      hostLimits: { ...DEFAULT_HOST_LIMITS },
      // A visitor whose ICE has not connected after this many ms goes through the WebSocket relay. Env: NUXT_PUBLIC_RELAY_AFTER_MS.
      relayAfterMs: 5000,
    },
  },
  routeRules: {
    // The host page runs the site's server in the browser: nothing to render on the server.
    '/host/**': { ssr: false },
  },
  vite: {
    // PS_UNMINIFIED=1 npm run build: readable names in the bench's traces (modules/visitor-bundle.ts reads it too).
    build: { minify: !process.env.PS_UNMINIFIED },
    resolve: {
      // y-monaco imports Monaco's API by a deep path that monaco-editor 0.5x's `exports` map no longer
      // allows (it maps "./*" under esm/vs/); point it at the same file `import 'monaco-editor'` loads.
      alias: { 'monaco-editor/esm/vs/editor/editor.api.js': fileURLToPath(new URL('./node_modules/monaco-editor/esm/vs/editor/editor.api.js', import.meta.url)) },
    },
  },
  nitro: {
    experimental: { websocket: true },
    // The gallery's starter sites, bundled with the server: useStorage('assets:templates').
    serverAssets: [{ baseName: 'templates', dir: '../templates' }],
  },
})
