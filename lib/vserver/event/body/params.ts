/** A header value like `multipart/form-data; boundary="x"`: the main value (lower-case) and its parameters. */
export interface HeaderParams {
  value: string
  /** Parameter names lower-case; quoted values unquoted and unescaped. */
  params: Map<string, string>
}

function readQuoted(text: string, start: number): { value: string, end: number } {
  let value = ''
  let i = start + 1
  while (i < text.length && text[i] !== '"') {
    if (text[i] === '\\' && i + 1 < text.length) i++
    value += text[i]
    i++
  }
  return { value, end: i + 1 }
}

/** Parse `value; name=token; name="quoted \"string\""` (RFC 9110 §5.6.6); malformed parameters are skipped. */
export function parseHeaderParams(header: string): HeaderParams {
  const first = header.indexOf(';')
  const value = (first < 0 ? header : header.slice(0, first)).trim().toLowerCase()
  const params = new Map<string, string>()
  let i = first < 0 ? header.length : first + 1
  while (i < header.length) {
    const equals = header.indexOf('=', i)
    const semicolon = header.indexOf(';', i)
    if (equals < 0 || (semicolon >= 0 && semicolon < equals)) {
      i = semicolon < 0 ? header.length : semicolon + 1
      continue
    }
    const name = header.slice(i, equals).trim().toLowerCase()
    let start = equals + 1
    while (header[start] === ' ' || header[start] === '\t') start++
    let parsed: { value: string, end: number }
    if (header[start] === '"') {
      parsed = readQuoted(header, start)
    }
    else {
      const end = header.indexOf(';', start)
      parsed = { value: header.slice(start, end < 0 ? header.length : end).trim(), end: end < 0 ? header.length : end }
    }
    if (name && !params.has(name)) params.set(name, parsed.value)
    const next = header.indexOf(';', parsed.end)
    i = next < 0 ? header.length : next + 1
  }
  return { value, params }
}
