/** A small typed event emitter: one listener set per event name. */
export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(value: never) => void>>()

  /** Hear `event`; returns the unsubscribe function. */
  on<K extends keyof Events>(event: K, listener: (value: Events[K]) => void): () => void {
    let set = this.listeners.get(event)
    if (!set) this.listeners.set(event, set = new Set())
    set.add(listener)
    return () => set.delete(listener)
  }

  /** Tell every listener of `event`; a listener that throws is logged and does not stop the others. */
  emit<K extends keyof Events>(event: K, value: Events[K]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        (listener as (value: Events[K]) => void)(value)
      }
      catch (error) {
        console.error(`[host] a ${String(event)} listener failed`, error)
      }
    }
  }

  /** Drop every listener. */
  clear(): void {
    this.listeners.clear()
  }
}
