// @ts-check
import { builtinModules } from 'node:module'
import withNuxt from './.nuxt/eslint.config.mjs'

// lib/, shared/ and visitor/ run outside Vue (Workers, the service worker, Nitro, Node tests).
// A regex, not a `group`: group entries are gitignore lines, where '#app' is a comment.
const NO_VUE = {
  regex: '^(vue|nuxt|h3|pinia|#imports|#app)(/|$)',
  message: 'lib/, shared/ and visitor/ stay free of Vue, Nuxt, h3 and pinia.',
}
// lib/ also runs in browsers, Workers and service workers, so no Node builtins. Bare names are
// matched exactly (`paths`): a pattern 'path' would also catch 'some-package/path'.
const NO_NODE_MESSAGE = 'lib/ runs in browsers and Workers: no Node builtins (pass in what it needs through an interface).'
const NO_NODE_PATHS = builtinModules.map(name => ({ name, message: NO_NODE_MESSAGE }))
const NO_NODE_PREFIX = { regex: '^node:', message: NO_NODE_MESSAGE }

export default withNuxt(
  { ignores: ['tests/fixtures/**', 'templates/**', '.cache/**'] },
  {
    files: ['shared/**/*.ts', 'visitor/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_VUE] }] },
  },
  {
    // One entry for lib/: a later config replaces a rule's options rather than adding to them.
    files: ['lib/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: NO_NODE_PATHS, patterns: [NO_VUE, NO_NODE_PREFIX] }] },
  },
  {
    // Composables only adapt lib/ objects to Vue: logic that grows belongs in lib/, where Node tests reach it.
    files: ['composables/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 40 }] },
  },
)
