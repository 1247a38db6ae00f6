import { describe, expect, it } from 'vitest'
import { reloadEvent, watchServedFiles } from '../../../../lib/lesson/reload'
import { openSiteDoc } from '../../../../lib/site'

describe('live reload', () => {
  it.each([
    [['public/css/a.css'], { css: ['/css/a.css'], page: false }],
    [['public/css/a.css', 'public/b.css'], { css: ['/css/a.css', '/b.css'], page: false }],
    [['public/css/a.css', 'public/index.html'], { css: [], page: true }],
    [['routes/index.get.js'], { css: [], page: true }],
    [['views/page.mustache'], { css: [], page: true }],
  ])('%j: %j', (paths, expected) => {
    expect(reloadEvent(paths)).toEqual({ type: 'reload', ...expected })
  })

  it('hears saves, uploads and deletes of what visitors get, not keystrokes in drafts', async () => {
    const site = openSiteDoc()
    await site.files.write('public/index.html', 'one')
    const heard: string[][] = []
    const stop = watchServedFiles(site.files, paths => heard.push(paths))
    site.files.text('public/index.html')?.insert(0, 'typing ')
    expect(heard).toEqual([])
    site.files.save('public/index.html')
    await site.files.write('public/new.css', 'b {}')
    await site.files.delete('public/new.css')
    expect(heard).toEqual([['public/index.html'], ['public/new.css'], ['public/new.css']])
    stop()
    await site.files.write('public/index.html', 'after')
    expect(heard).toHaveLength(3)
  })
})
