import { readdirSync, readFileSync } from 'node:fs'

// CPU time of processes, from /proc (Linux): what each side of a bench used
// of the machine while it ran, since the browser, Nitro and the bench's own
// Node peers share its cores.

const TICKS_PER_SECOND = 100

/**
 * The fields of `/proc/<pid>/stat` after the command (which may hold spaces,
 * so they are split after its closing parenthesis): [0] is the state, [1] the
 * parent's pid, [11..14] utime, stime, cutime, cstime. Null once it is gone.
 */
function statFields(pid: number | string): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  }
  catch {
    return null
  }
}

/** utime + stime of `pid` in seconds, with its children that have exited and been waited for; 0 once it is gone. */
function processSeconds(pid: number): number {
  const fields = statFields(pid)
  return fields ? fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / TICKS_PER_SECOND : 0
}

/** `root` and every process below it now. */
export function processTree(root: number): number[] {
  const parents = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const fields = statFields(entry)
    if (!fields) continue // gone meanwhile
    const ppid = Number(fields[1])
    const children = parents.get(ppid) ?? []
    children.push(Number(entry))
    parents.set(ppid, children)
  }
  const tree: number[] = []
  const visit = (pid: number) => {
    tree.push(pid)
    for (const child of parents.get(pid) ?? []) visit(child)
  }
  visit(root)
  return tree
}

/** CPU seconds the processes used so far, each by pid (so a later reading can subtract). */
export function cpuSnapshot(pids: number[]): Map<number, number> {
  return new Map(pids.map(pid => [pid, processSeconds(pid)]))
}

/** CPU seconds used by `pids` since `before` (a pid not in it counts from its start). */
export function cpuSince(before: Map<number, number>, pids: number[]): number {
  return pids.reduce((sum, pid) => sum + Math.max(0, processSeconds(pid) - (before.get(pid) ?? 0)), 0)
}

export function machineCores(): number {
  return readFileSync('/proc/cpuinfo', 'utf8').split('\n').filter(line => line.startsWith('processor')).length
}
