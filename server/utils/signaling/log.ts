import type { SignalingLog } from './context'

/** A logger that prefixes every line with `[tag]`. */
export function createTaggedLog(tag: string): SignalingLog {
  return {
    info: (message, ...args) => console.info(`[${tag}] ${message}`, ...args),
    warn: (message, ...args) => console.warn(`[${tag}] ${message}`, ...args),
    error: (message, ...args) => console.error(`[${tag}] ${message}`, ...args),
  }
}
