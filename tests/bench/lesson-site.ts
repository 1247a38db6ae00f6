import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/** A lesson site on disk: its folder (for `upload-folder`), its pages' URLs, and every file's size by URL. */
export interface LessonSite {
  dir: string
  pages: string[]
  sizes: Record<string, number>
}

const LESSONS = 5

function stylesheet(page: number): string {
  return Array.from({ length: 250 + page * 40 }, (_, r) => `.l${page}-${r} { margin: ${r % 17}px; color: #${(r * 2654435761 % 0xFFFFFF).toString(16).padStart(6, '0')}; }`).join('\n')
}

function script(page: number): string {
  const steps = Array.from({ length: 300 + page * 50 }, (_, r) => `  quiz.push({ step: ${r}, answer: ${(r * 7) % 13} })`)
  return `const quiz = []\n${steps.join('\n')}\ndocument.body.dataset.steps = String(quiz.length)\n`
}

function html(page: number, name: string, titles: string[]): string {
  const nav = titles.map((title, i) => `<a href="${i === 0 ? 'index.html' : `lesson${i}.html`}">${title}</a>`).join(' · ')
  const text = Array.from({ length: 30 }, (_, p) => `<p>Paragraph ${p} of ${titles[page]}: what the teacher shows on the board, written out for the class to read along.</p>`).join('\n')
  return `<!doctype html><html><head><meta charset="utf-8"><title>${titles[page]}</title>`
    + `<link rel="stylesheet" href="css/${name}.css"></head>\n<body><nav>${nav}</nav><h1>${titles[page]}</h1>\n`
    + `<img src="img/${name}-a.png" alt="figure A"> <img src="img/${name}-b.png" alt="figure B">\n${text}\n`
    + `<script src="js/${name}.js"></script></body></html>\n`
}

/**
 * A site of six pages (a home page and five lessons), each with its own
 * stylesheet, script and two pictures (random bytes named .png: only their
 * size matters), about 120 KiB a page, written under a fresh temp folder.
 */
export function writeLessonSite(): LessonSite {
  const root = join(mkdtempSync(join(tmpdir(), 'peerserver-lesson-')), 'site')
  const titles = ['Welcome', ...Array.from({ length: LESSONS }, (_, i) => `Lesson ${i + 1}`)]
  const files: Record<string, Uint8Array> = {}
  const pages: string[] = []
  titles.forEach((_, page) => {
    const name = page === 0 ? 'index' : `lesson${page}`
    files[`${name}.html`] = Buffer.from(html(page, name, titles))
    files[`css/${name}.css`] = Buffer.from(stylesheet(page))
    files[`js/${name}.js`] = Buffer.from(script(page))
    files[`img/${name}-a.png`] = randomBytes(24_000 + page * 3_000)
    files[`img/${name}-b.png`] = randomBytes(48_000 - page * 2_000)
    pages.push(page === 0 ? '/' : `/${name}.html`)
  })
  const sizes: Record<string, number> = {}
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(root, 'public', path)), { recursive: true })
    writeFileSync(join(root, 'public', path), bytes)
    sizes[`/${path}`] = bytes.byteLength
  }
  sizes['/'] = sizes['/index.html'] ?? 0
  return { dir: root, pages, sizes }
}
