/*
 * The handler sandbox's frame (served at /_ps/sandbox with a CSP that denies
 * the network and `sandbox allow-scripts`, so its origin is opaque). It waits
 * for the studio's ps-start, starts the handler worker from the source it is
 * given (a data: URL, so the worker's origin is opaque too, and it inherits
 * this CSP), hands the worker its port and reports a worker that
 * failed. It listens to its parent only.
 */
import { errorMessage } from '../../shared/error-message'
import { bytesToBase64 } from '../vserver/crypto'
import { SandboxStartMessageSchema, type SandboxFrameMessage, type WorkerPortMessage } from './sandbox-messages'

function tell(message: SandboxFrameMessage): void {
  // An opaque origin can only be answered with '*'; the studio checks the frame is its own.
  parent.postMessage(message, '*')
}

/**
 * A data: URL, not a blob: URL: a worker from this opaque origin's blob URL
 * is not a secure context (no crypto.subtle, which sessions and password
 * hashing need), while a data: worker of a secure frame is, and its origin
 * is opaque all the same. Classic, not module: Chromium refuses module
 * workers here; the site's modules load with import() either way.
 */
function dataUrl(source: string): string {
  return `data:text/javascript;base64,${bytesToBase64(new TextEncoder().encode(source))}`
}

let started = false
addEventListener('message', (event) => {
  if (event.source !== parent || started) return
  const start = SandboxStartMessageSchema.safeParse(event.data)
  const port = event.ports[0]
  if (!start.success || !port) return
  started = true
  try {
    const worker = new Worker(dataUrl(start.data.source), { name: 'site handlers' })
    worker.addEventListener('error', (error) => {
      error.preventDefault()
      tell({ type: 'ps-worker-error', message: (error.message || 'the handler worker failed').slice(0, 2000) })
    })
    worker.postMessage({ type: 'ps-port' } satisfies WorkerPortMessage, [port])
  }
  catch (error) {
    tell({ type: 'ps-worker-error', message: `the handler worker could not start: ${errorMessage(error)}`.slice(0, 2000) })
  }
})
tell({ type: 'ps-sandbox-ready' })
