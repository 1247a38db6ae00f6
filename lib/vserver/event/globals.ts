import type { Database } from '../db'
import type { ViewRenderer } from '../views'
import { installConsoleCapture } from './console'
import { SITE_HELPERS } from './helpers'

/** What a site adds to the helpers: its database and its views. */
export interface SiteGlobals {
  db?: Database
  views?: ViewRenderer
}

/** Names of every global a site module may use (the helpers, `render` and `db`). */
export const SITE_GLOBAL_NAMES: readonly string[] = [...Object.keys(SITE_HELPERS), 'render', 'db']

/** A stand-in `db` that says what is wrong on first use. */
function missingDatabase(): object {
  return new Proxy({}, {
    get(_target, key) {
      throw new Error(`db.${String(key)}: this site has no database`)
    },
  })
}

/**
 * Install the helpers, `render`, `db` and the per-request console capture on
 * `scope` (globalThis by default). One site per realm: the last call wins, so
 * a Worker hosts one site, and tests that create several servers run them
 * one after another.
 */
export function installGlobals(site: SiteGlobals, scope: { console: Console } = globalThis): void {
  for (const [name, helper] of Object.entries(SITE_HELPERS)) Reflect.set(scope, name, helper)
  const views = site.views
  Reflect.set(scope, 'render', async (view: string, data: object = {}): Promise<string> => {
    if (!views) throw new Error(`render('${view}'): this site has no view renderer`)
    return views.render(view, data)
  })
  Reflect.set(scope, 'db', site.db ?? missingDatabase())
  installConsoleCapture(scope)
}
