/** A file or folder of the studio's file tree. */
export interface TreeNode {
  name: string
  /** Site-relative path, no trailing slash. */
  path: string
  kind: 'file' | 'folder'
  size?: number
  children: TreeNode[]
}

/** A node as the tree renders it: flattened, with its depth. */
export interface TreeRow {
  node: TreeNode
  depth: number
}

// The site's own folders come first, in the order a request meets them.
const SECTION_ORDER = ['public', 'routes', 'views', 'lib']

function rank(node: TreeNode, depth: number): [number, number, string] {
  const section = depth === 0 ? SECTION_ORDER.indexOf(node.name) : -1
  return [section === -1 ? SECTION_ORDER.length : section, node.kind === 'folder' ? 0 : 1, node.name]
}

function sortNodes(nodes: TreeNode[], depth: number): TreeNode[] {
  nodes.sort((a, b) => {
    const [ra, rb] = [rank(a, depth), rank(b, depth)]
    return ra[0] - rb[0] || ra[1] - rb[1] || ra[2].localeCompare(rb[2])
  })
  for (const node of nodes) sortNodes(node.children, depth + 1)
  return nodes
}

/** Build the tree of a site from its files and folders (empty ones included), site folders first. */
export function buildTree(files: ReadonlyArray<{ path: string, size: number }>, folders: readonly string[] = []): TreeNode[] {
  const root: TreeNode = { name: '', path: '', kind: 'folder', children: [] }
  const index = new Map<string, TreeNode>([['', root]])
  const folder = (path: string): TreeNode => {
    const found = index.get(path)
    if (found) return found
    const cut = path.lastIndexOf('/')
    const node: TreeNode = { name: path.slice(cut + 1), path, kind: 'folder', children: [] }
    folder(cut === -1 ? '' : path.slice(0, cut)).children.push(node)
    index.set(path, node)
    return node
  }
  for (const path of folders) folder(path.replace(/\/+$/, ''))
  for (const file of files) {
    const cut = file.path.lastIndexOf('/')
    folder(cut === -1 ? '' : file.path.slice(0, cut)).children.push({ name: file.path.slice(cut + 1), path: file.path, kind: 'file', size: file.size, children: [] })
  }
  return sortNodes(root.children, 0)
}

/** The rows to render: every node whose ancestors are all expanded. */
export function flattenTree(nodes: readonly TreeNode[], collapsed: ReadonlySet<string>, depth = 0, rows: TreeRow[] = []): TreeRow[] {
  for (const node of nodes) {
    rows.push({ node, depth })
    if (node.kind === 'folder' && !collapsed.has(node.path)) flattenTree(node.children, collapsed, depth + 1, rows)
  }
  return rows
}

/** The folder a new file goes into when `selected` is chosen in the tree ("" for the top). */
export function folderOf(selected: string | null, kind: 'file' | 'folder' | undefined): string {
  if (!selected) return ''
  if (kind === 'folder') return selected
  const cut = selected.lastIndexOf('/')
  return cut === -1 ? '' : selected.slice(0, cut)
}

/** Where `path` lands when dropped on `folder` (same name, new folder). */
export function movedPath(path: string, folder: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1)
  return folder ? `${folder}/${name}` : name
}

/** What a key does in the file tree (the WAI-ARIA tree pattern): move the focus, open or close a folder, or activate a row. */
export type TreeKeyAction =
  | { kind: 'focus', path: string }
  | { kind: 'expand' | 'collapse' | 'activate', path: string }
  | null

/**
 * The tree's answer to `key` on the row `current`: ↑/↓ the previous or next
 * row, Home/End the first or last; → opens a closed folder, or goes into an
 * open one; ← closes an open folder, or goes to the parent; Enter and Space
 * activate (open a file, open or close a folder). Any other key: null.
 */
export function treeKey(rows: readonly TreeRow[], collapsed: ReadonlySet<string>, current: string, key: string): TreeKeyAction {
  const index = rows.findIndex(row => row.node.path === current)
  const row = rows[index]
  if (!row) return rows[0] ? { kind: 'focus', path: rows[0].node.path } : null
  const focus = (at: number): TreeKeyAction => {
    const target = rows[Math.max(0, Math.min(rows.length - 1, at))]
    return target ? { kind: 'focus', path: target.node.path } : null
  }
  const folder = row.node.kind === 'folder'
  const open = folder && !collapsed.has(row.node.path)
  switch (key) {
    case 'ArrowDown': return focus(index + 1)
    case 'ArrowUp': return focus(index - 1)
    case 'Home': return focus(0)
    case 'End': return focus(rows.length - 1)
    case 'Enter':
    case ' ': return { kind: 'activate', path: row.node.path }
    case 'ArrowRight':
      if (!folder) return null
      if (!open) return { kind: 'expand', path: row.node.path }
      return rows[index + 1]?.depth === row.depth + 1 ? focus(index + 1) : null
    case 'ArrowLeft': {
      if (open) return { kind: 'collapse', path: row.node.path }
      for (let at = index - 1; at >= 0; at--) if ((rows[at]?.depth ?? 0) < row.depth) return focus(at)
      return null
    }
    default: return null
  }
}
