import { z } from 'zod'

/** An author online in the studio of a site, from y-webrtc awareness. */
export interface Author {
  clientId: number
  name: string
  color: string
  /** The file the author has open. */
  file: string | null
  self: boolean
}

const PALETTE = ['#d9480f', '#1971c2', '#2b8a3e', '#ae3ec9', '#e67700', '#0c8599', '#c2255c', '#5f3dc4']

/** A stable colour for an awareness client. */
export function authorColor(clientId: number): string {
  return PALETTE[Math.abs(clientId) % PALETTE.length] ?? '#555'
}

// Awareness states come from other browsers: checked, never trusted.
const StateSchema = z.object({
  user: z.object({ name: z.string().min(1).max(60), color: z.string().regex(/^#[0-9a-f]{6}$/i) }),
  file: z.string().max(1000).nullable().optional(),
})

/** The authors in an awareness state map, this tab first, then by name; states of another shape are left out. */
export function authorsOf(states: ReadonlyMap<number, unknown>, self: number): Author[] {
  const authors: Author[] = []
  for (const [clientId, state] of states) {
    const parsed = StateSchema.safeParse(state)
    if (!parsed.success) continue
    authors.push({ clientId, name: parsed.data.user.name, color: parsed.data.user.color, file: parsed.data.file ?? null, self: clientId === self })
  }
  return authors.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name) || a.clientId - b.clientId)
}

/**
 * Whether two author lists say the same: who, named and coloured how, in
 * which file, in the same order. Awareness changes with every move of a
 * cursor, which these do not show: a list that says the same is kept, so the
 * studio's tree and the cursors' stylesheet are not redone for a keystroke.
 */
export function sameAuthors(a: readonly Author[], b: readonly Author[]): boolean {
  if (a.length !== b.length) return false
  return a.every((author, i) => {
    const other = b[i]!
    return author.clientId === other.clientId && author.name === other.name && author.color === other.color && author.file === other.file && author.self === other.self
  })
}

/** Who else has each file open. */
export function presenceByFile(authors: readonly Author[]): Record<string, Author[]> {
  const byFile: Record<string, Author[]> = {}
  for (const author of authors) {
    if (author.self || !author.file) continue
    ;(byFile[author.file] ??= []).push(author)
  }
  return byFile
}

/** CSS that colours each remote author's cursor and selection in Monaco (y-monaco's class names) and labels it. */
export function cursorStyles(authors: readonly Author[]): string {
  return authors.filter(author => !author.self).map(({ clientId, color, name }) => [
    `.yRemoteSelection-${clientId} { background-color: ${color}40; }`,
    `.yRemoteSelectionHead-${clientId} { position: absolute; border-left: 2px solid ${color}; height: 100%; box-sizing: border-box; }`,
    `.yRemoteSelectionHead-${clientId}::after { content: ${JSON.stringify(name)}; position: absolute; top: -1.1em; left: -2px; font: 10px/1.1 system-ui, sans-serif; color: #fff; background: ${color}; padding: 0 3px; border-radius: 2px; white-space: nowrap; pointer-events: none; }`,
  ].join('\n')).join('\n')
}
