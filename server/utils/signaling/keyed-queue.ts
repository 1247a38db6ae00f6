/** Run tasks one at a time per key; a failed task does not stop the next. */
export function createKeyedQueue() {
  const queues = new Map<string, Promise<unknown>>()
  return <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const previous = queues.get(key) ?? Promise.resolve()
    const next = previous.then(task)
    // The caller gets `next` with its error; the queue only waits for it to settle.
    const settled = next.then(() => undefined, () => undefined)
    queues.set(key, settled)
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key)
    })
    return next
  }
}
