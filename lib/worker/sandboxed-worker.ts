import { errorMessage } from '../../shared/error-message'
import type { WorkerLike } from './connection'
import { SandboxFrameMessageSchema, type SandboxStartMessage } from './sandbox-messages'

/** Where the handler sandbox lives and what it runs. */
export interface SandboxOptions {
  /** The sandbox frame's address (`/_ps/sandbox`, with the origins the authors allow in its query). */
  url: string
  /** The handler worker's source (lib/worker/entry.ts, bundled), fetched once from the studio's origin. */
  source: () => Promise<string>
  /** Where the hidden frame goes (document.body). */
  container: HTMLElement
}

/**
 * A handler worker in the handler sandbox (./sandbox-frame.ts), as the pool
 * sees a Worker: messages go over a MessageChannel whose other end lives in
 * the worker; `error` is the frame's report of a failed worker; terminate
 * removes the frame, which ends its worker whatever it is doing.
 */
export function createSandboxedWorker(options: SandboxOptions): WorkerLike {
  const channel = new MessageChannel()
  const errors = new EventTarget()
  const frame = document.createElement('iframe')
  frame.setAttribute('sandbox', 'allow-scripts')
  frame.setAttribute('aria-hidden', 'true')
  frame.tabIndex = -1
  frame.style.display = 'none'
  frame.src = options.url
  let started = false
  const fail = (message: string) => errors.dispatchEvent(Object.assign(new Event('error'), { message }))
  const onMessage = (event: MessageEvent) => {
    if (event.source !== frame.contentWindow) return
    const message = SandboxFrameMessageSchema.safeParse(event.data)
    if (!message.success) return console.warn('[sandbox] ignored a malformed message from the handler sandbox')
    if (message.data.type === 'ps-worker-error') return fail(message.data.message)
    if (started) return
    started = true
    options.source().then((source) => {
      frame.contentWindow?.postMessage({ type: 'ps-start', source } satisfies SandboxStartMessage, '*', [channel.port2])
    }, (error: unknown) => fail(`the handler worker's code could not be loaded: ${errorMessage(error)}`))
  }
  addEventListener('message', onMessage)
  options.container.append(frame)
  return {
    postMessage: (message, transfer) => channel.port1.postMessage(message, transfer),
    addEventListener(type, listener) {
      if (type === 'error') return errors.addEventListener('error', listener)
      channel.port1.addEventListener(type, listener)
      channel.port1.start()
    },
    terminate() {
      removeEventListener('message', onMessage)
      channel.port1.close()
      frame.remove()
    },
  }
}

let loading: Promise<string> | undefined

/** The handler worker's bundled source from the studio's origin, fetched once; a failed fetch is tried again next time. */
export function handlerWorkerSource(url = '/_ps/handler-worker.js'): Promise<string> {
  loading ??= fetch(url).then(async (response) => {
    if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`)
    return response.text()
  }).catch((error: unknown) => {
    loading = undefined
    throw error
  })
  return loading
}
