const BY_EXTENSION: Record<string, string> = {
  html: 'html', htm: 'html',
  css: 'css',
  js: 'javascript', mjs: 'javascript', cjs: 'javascript',
  ts: 'typescript',
  json: 'json', webmanifest: 'json', map: 'json',
  // Monaco has no Mustache mode; Handlebars is a superset of its syntax.
  mustache: 'handlebars', hbs: 'handlebars',
  md: 'markdown',
  svg: 'xml', xml: 'xml',
  yml: 'yaml', yaml: 'yaml',
  txt: 'plaintext', csv: 'plaintext',
}

const IMAGE = /\.(png|jpe?g|gif|webp|avif|bmp|ico|svg)$/i

/** The Monaco language id for a site file, by its extension ("plaintext" when unknown). */
export function languageFor(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1)
  const dot = name.lastIndexOf('.')
  if (dot <= 0) return 'plaintext'
  return BY_EXTENSION[name.slice(dot + 1).toLowerCase()] ?? 'plaintext'
}

/** Whether the studio shows `path` as a picture (SVG too, beside its source). */
export function isImagePath(path: string): boolean {
  return IMAGE.test(path)
}

/** Route and library modules get the handler helpers' types (completion for defineHandler, getQuery…). */
export function isServerModule(path: string): boolean {
  return /^(routes|lib)\/.*\.(m?js|ts)$/.test(path)
}
