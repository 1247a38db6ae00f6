/**
 * A set of listeners that all hear every event: one that throws is logged
 * (a broken studio view must not fail a write that already happened, nor
 * keep the others from hearing it).
 */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>()

  constructor(private readonly tag: string) {}

  /** Add a listener; returns the function that removes it. */
  add(listener: (value: T) => void): () => void {
    this.set.add(listener)
    return () => {
      this.set.delete(listener)
    }
  }

  /** Call every listener with `value`. */
  emit(value: T): void {
    for (const listener of this.set) {
      try {
        listener(value)
      }
      catch (error) {
        console.error(`[${this.tag}] change listener failed`, error)
      }
    }
  }

  clear(): void {
    this.set.clear()
  }
}
