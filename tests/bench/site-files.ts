import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** A flat file of the benchmark site. */
export interface BenchFile {
  name: string
  mimeType: string
  buffer: Buffer
}

/** A page with 20 sub-resources (7 stylesheets, 7 images, 6 scripts) of 4–64 KiB each. */
export function twentyResourcePage(): BenchFile[] {
  const files: BenchFile[] = []
  const tags: string[] = []
  for (let i = 0; i < 7; i++) {
    const rules = Array.from({ length: 200 + i * 100 }, (_, r) => `.c${i}-${r} { margin: ${r}px; color: #${(r * 2654435761 % 0xFFFFFF).toString(16).padStart(6, '0')}; }`)
    files.push({ name: `style${i}.css`, mimeType: 'text/css', buffer: Buffer.from(rules.join('\n')) })
    tags.push(`<link rel="stylesheet" href="style${i}.css">`)
  }
  for (let i = 0; i < 7; i++) {
    // Random bytes named .png: the browser fetches them as images either way; size is what counts.
    files.push({ name: `image${i}.png`, mimeType: 'image/png', buffer: randomBytes(4096 + i * 9000) })
    tags.push(`<img src="image${i}.png" alt="">`)
  }
  for (let i = 0; i < 6; i++) {
    const body = Array.from({ length: 300 + i * 150 }, (_, r) => `window.bench${i}_${r} = ${r};`).join('\n')
    files.push({ name: `script${i}.js`, mimeType: 'text/javascript', buffer: Buffer.from(body) })
    tags.push(`<script src="script${i}.js"></script>`)
  }
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>bench</title>${tags.filter(t => t.startsWith('<link')).join('')}</head>`
    + `<body><h1>Bench</h1>${tags.filter(t => !t.startsWith('<link')).join('')}</body></html>`
  files.push({ name: 'page.html', mimeType: 'text/html', buffer: Buffer.from(html) })
  return files
}

/** Write files into `dir` for the direct-HTTP baseline. */
export function writeFiles(dir: string, files: BenchFile[]): void {
  mkdirSync(dir, { recursive: true })
  for (const file of files) writeFileSync(join(dir, file.name), file.buffer)
}
