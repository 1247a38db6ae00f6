/** Console methods whose output handlers may produce. */
export const CONSOLE_LEVELS = ['log', 'info', 'warn', 'error', 'debug'] as const
export type ConsoleLevel = typeof CONSOLE_LEVELS[number]

/** One line a handler logged, as text (it crosses postMessage to the author's request log). */
export interface ConsoleLine {
  level: ConsoleLevel
  text: string
  /** ms since the epoch. */
  time: number
}

const MAX_LINES = 200
const MAX_LINE_CHARS = 4000

/** The console output of one request. */
export class ConsoleCapture {
  readonly lines: ConsoleLine[] = []
  dropped = 0

  /** The lines, with a note of how many were dropped past the limit. */
  result(): ConsoleLine[] {
    if (this.dropped === 0) return [...this.lines]
    return [...this.lines, { level: 'warn', text: `(${this.dropped} more console lines were dropped)`, time: Date.now() }]
  }

  add(level: ConsoleLevel, args: readonly unknown[]): void {
    if (this.lines.length >= MAX_LINES) {
      this.dropped++
      return
    }
    const text = args.map(formatArg).join(' ')
    this.lines.push({ level, text: text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)}…` : text, time: Date.now() })
  }
}

function formatArg(arg: unknown): string {
  if (typeof arg === 'string') return arg
  if (arg instanceof Error) return arg.stack ?? `${arg.name}: ${arg.message}`
  if (typeof arg !== 'object' || arg === null) return String(arg)
  try {
    return JSON.stringify(arg) ?? String(arg)
  }
  catch {
    return Object.prototype.toString.call(arg) // A cycle: name the type rather than fail the request.
  }
}

let current: ConsoleCapture | null = null
const inFlight = new Set<ConsoleCapture>()

/**
 * Whose request a console call belongs to. There is no async context in
 * browsers, so: the request whose handler is running synchronously; else,
 * after an `await`, the only request in flight. With several requests in
 * flight, lines logged after an `await` cannot be told apart and go to the
 * real console. (A Worker that serves one request at a time is exact.)
 */
function owner(): ConsoleCapture | null {
  if (current) return current
  if (inFlight.size !== 1) return null
  const [only] = inFlight
  return only ?? null
}

/** Start capturing for a request; call `endCapture` when it is answered. */
export function beginCapture(): ConsoleCapture {
  const capture = new ConsoleCapture()
  inFlight.add(capture)
  return capture
}

/** Stop capturing for a request. */
export function endCapture(capture: ConsoleCapture): void {
  inFlight.delete(capture)
}

/** Run `fn` with console output going to `capture` for its synchronous part. */
export function runCaptured<T>(capture: ConsoleCapture, fn: () => T): T {
  const previous = current
  current = capture
  try {
    return fn()
  }
  finally {
    current = previous
  }
}

const INSTALLED = Symbol.for('peerserver.console-capture')

/** Route `console.log` and friends of `scope` to the request that logs, once per console. */
export function installConsoleCapture(scope: { console: Console }): void {
  const target = scope.console
  if (Reflect.get(target, INSTALLED) === true) return
  for (const level of CONSOLE_LEVELS) {
    const original = target[level].bind(target)
    target[level] = (...args: unknown[]) => {
      const capture = owner()
      if (capture) capture.add(level, args)
      else original(...args)
    }
  }
  Reflect.set(target, INSTALLED, true)
}
