/**
 * What handler code must not reach, though a dedicated worker exposes it:
 * the origin's storage (shared with the editor, which keeps sites and owner
 * tokens there), channels to the editor's other tabs and workers, a fresh
 * global to escape to (nested workers), devices the origin was granted, and
 * the worker's own port to the page (the worker's code keeps a bound copy).
 */
export const HIDDEN_GLOBALS = [
  'indexedDB', 'caches', 'BroadcastChannel', 'Worker', 'SharedWorker', 'importScripts',
  'postMessage', 'onmessage', 'onmessageerror', 'close',
  'webkitRequestFileSystem', 'webkitRequestFileSystemSync', 'webkitResolveLocalFileSystemURL',
] as const

/** On `navigator`: OPFS and quota (`storage`), the origin's Web Locks, service workers, devices. */
export const HIDDEN_NAVIGATOR = ['storage', 'locks', 'serviceWorker', 'usb', 'hid', 'serial', 'bluetooth'] as const

/** Delete `name` from `target` and every prototype up to Object.prototype (Web IDL attributes are getters there). */
function removeEverywhere(target: object, name: string): boolean {
  for (let object: object | null = target; object && object !== Object.prototype; object = Object.getPrototypeOf(object)) {
    if (Object.getOwnPropertyDescriptor(object, name) !== undefined && !Reflect.deleteProperty(object, name)) return false
  }
  return !(name in target)
}

/**
 * Take the names above away from a worker's global scope before any site
 * code runs. Returns the names that could not be removed (none in current
 * browsers). Call it only in the worker: it changes the realm for good.
 */
export function lockDown(scope: object): string[] {
  const kept: string[] = HIDDEN_GLOBALS.filter(name => !removeEverywhere(scope, name))
  const navigator: unknown = Reflect.get(scope, 'navigator')
  if (typeof navigator === 'object' && navigator !== null) {
    kept.push(...HIDDEN_NAVIGATOR.filter(name => !removeEverywhere(navigator, name)).map(name => `navigator.${name}`))
  }
  return kept
}
