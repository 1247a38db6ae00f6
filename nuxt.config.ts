// https://nuxt.com/docs/api/configuration/nuxt-config
export default defineNuxtConfig({
  compatibilityDate: '2026-11-01',
  srcDir: '.',
  modules: ['@pinia/nuxt', '@nuxt/eslint'],
  devtools: { enabled: false },
  telemetry: false,
  typescript: { strict: true },
  nitro: {
    experimental: { websocket: true },
  },
})
