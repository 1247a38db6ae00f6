function lineColumn(source: string, offset: number): string {
  const before = source.slice(0, offset)
  return `line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')}`
}

/** Where the last `{{#name}}` or `{{^name}}` opens, or -1 (custom delimiters are not looked for). */
function lastOpening(source: string, name: string): number {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  let index = -1
  for (const match of source.matchAll(new RegExp(`\\{\\{\\s*[#^]\\s*${escaped}\\s*\\}\\}`, 'g'))) index = match.index
  return index
}

/**
 * Turn a Mustache parse error ("Unclosed section "x" at 42") into a message an
 * author can act on: the file, a line and column, and what to fix. Mustache
 * reports an unclosed section at the end of the file, so this points at where
 * the section opens instead; a wrong closing tag is reported where it is.
 */
export function describeParseError(path: string, source: string, message: string): string {
  const unclosed = /^Unclosed section "(.+)" at (\d+)$/.exec(message)
  if (unclosed?.[1] && unclosed[2]) {
    const [, name, at] = unclosed
    const offset = Number(at)
    const opening = lastOpening(source.slice(0, offset), name)
    if (offset < source.length) {
      const opened = opening === -1 ? '' : ` opened at ${lineColumn(source, opening)}`
      return `${path} at ${lineColumn(source, offset)}: this closing tag does not match section "${name}"${opened}`
    }
    return `${path}${opening === -1 ? '' : ` at ${lineColumn(source, opening)}`}: section "${name}" is never closed (add {{/${name}}})`
  }
  const located = /^(.*) at (\d+)$/.exec(message)
  if (!located?.[1] || !located[2]) return `${path}: ${message}`
  return `${path} at ${lineColumn(source, Number(located[2]))}: ${located[1]}`
}
