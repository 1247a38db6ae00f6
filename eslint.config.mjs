// @ts-check
import withNuxt from './.nuxt/eslint.config.mjs'

export default withNuxt(
  { ignores: ['tests/fixtures/**', 'templates/**', '.cache/**'] },
  {
    // lib/ is the Vue-free runtime: it must run in a Worker, a service worker and Node.
    files: ['lib/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['vue', 'vue/*', '#imports', '#app', 'h3', 'nuxt', 'nuxt/*', 'pinia'], message: 'lib/ stays free of Vue, Nuxt and h3.' },
        ],
      }],
    },
  },
)
