import { startWorker } from '../../lib/worker/entry'
import type { WorkerLike } from '../../lib/worker/pool'

/** An in-process stand-in for `new Worker(entry.ts)`: entry's message handler over a MessageChannel. */
export interface FakeWorker extends WorkerLike {
  /** The worker's end, to post what a misbehaving worker would. */
  readonly inside: MessagePort
  /** Fire the `error` event a crashed worker fires. */
  crash(message: string): void
  terminated: boolean
}

/** A factory for `createWorkerServer` that records the workers it made. */
export function fakeWorkers(): { create: () => FakeWorker, made: FakeWorker[] } {
  const made: FakeWorker[] = []
  const create = (): FakeWorker => {
    const { port1, port2 } = new MessageChannel()
    startWorker(port2)
    port2.start()
    const events = new EventTarget()
    const worker: FakeWorker = {
      inside: port2,
      terminated: false,
      postMessage: (message, transfer) => port1.postMessage(message, transfer),
      addEventListener(type, listener) {
        if (type !== 'message') return events.addEventListener(type, listener)
        port1.addEventListener('message', listener)
        port1.start()
      },
      terminate() {
        worker.terminated = true
        port1.close()
        port2.close()
      },
      crash: message => events.dispatchEvent(Object.assign(new Event('error'), { message })),
    }
    made.push(worker)
    return worker
  }
  return { create, made }
}
