import { join } from 'node:path'
import { defineNuxtModule } from '@nuxt/kit'
import { build, context, type BuildOptions } from 'esbuild'

/**
 * Bundles the visitor shell and its service worker (visitor/*.ts), and the
 * handler sandbox's frame script and worker (lib/worker/), with esbuild and
 * hands them to Nitro as server assets, so the site-origin
 * middleware can serve them in dev and in the built server alike. They are
 * not Vue pages: the shell must stay tiny, and the worker runs on the site's
 * own origin.
 */
export default defineNuxtModule({
  meta: { name: 'visitor-bundle' },
  async setup(_options, nuxt) {
    // Not under buildDir: Nuxt empties it when the build starts, after modules ran.
    const outdir = join(nuxt.options.rootDir, 'node_modules/.cache/peerserver/visitor')
    const common: BuildOptions = {
      absWorkingDir: nuxt.options.rootDir,
      bundle: true,
      outdir,
      target: 'chrome111',
      minify: !nuxt.options.dev && !process.env.PS_UNMINIFIED,
      sourcemap: nuxt.options.dev ? 'inline' : false,
      logLevel: 'warning',
      legalComments: 'none',
    }
    const builds: BuildOptions[] = [
      { ...common, entryPoints: { shell: 'visitor/shell.ts' }, format: 'esm' },
      { ...common, entryPoints: { sw: 'visitor/sw.ts' }, format: 'iife' },
      // The handler sandbox (lib/worker/sandbox-frame.ts, inlined in /_ps/sandbox) and the worker it starts.
      { ...common, entryPoints: { 'sandbox-frame': 'lib/worker/sandbox-frame.ts' }, format: 'iife', sourcemap: false },
      // A classic worker: Chromium refuses module workers from an opaque origin's blob URLs; import() of the site's modules works in both.
      // Minified and without a source map even in dev: the frame starts it from a data: URL, which Chromium caps at 2 MB.
      { ...common, entryPoints: { 'handler-worker': 'lib/worker/entry.ts' }, format: 'iife', minify: !process.env.PS_UNMINIFIED, sourcemap: false },
    ]
    if (nuxt.options.dev) {
      const contexts = await Promise.all(builds.map(options => context(options)))
      await Promise.all(contexts.map(ctx => ctx.rebuild()))
      await Promise.all(contexts.map(ctx => ctx.watch()))
      nuxt.hook('close', () => Promise.all(contexts.map(ctx => ctx.dispose())).then(() => undefined))
    }
    else {
      await Promise.all(builds.map(options => build(options)))
    }
    nuxt.options.nitro.serverAssets ||= []
    nuxt.options.nitro.serverAssets.push({ baseName: 'visitor', dir: outdir })
  },
})
