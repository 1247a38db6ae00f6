import { afterEach, describe, expect, it } from 'vitest'
import { openSiteDoc, type SiteDoc } from '../../../../lib/site'
import { MemorySessionStore } from '../../../../lib/vserver/event'
import type { FileStore } from '../../../../lib/vserver/files'
import type { VResponse } from '../../../../lib/vserver/types'
import { createWorkerServer, type WorkerServer } from '../../../../lib/worker/pool'
import { fakeWorkers } from '../../../helpers/fake-worker'

let server: WorkerServer | undefined
const sites: SiteDoc[] = []
afterEach(() => {
  server?.destroy()
  for (const site of sites.splice(0)) site.destroy()
})

const text = async (response: VResponse) => new TextDecoder().decode(response.body instanceof Uint8Array ? response.body : new Uint8Array(await new Response(response.body).arrayBuffer()))
const get = (url: string) => ({ method: 'GET', url, headers: [], body: null })

/** A site doc's files, counting the look-ups the worker asks the page for (public/ ones are the page's own static check, no call from the worker). */
async function countedSite(told: boolean) {
  const site = openSiteDoc()
  sites.push(site)
  await site.files.write('routes/hello/[name].get.js', `import { greet } from '../../lib/greet.js'
export default defineHandler(event => render('hello', { text: greet(getRouterParam(event, 'name')) }))`)
  await site.files.write('lib/greet.js', `export const greet = name => 'Hello, ' + name`)
  await site.files.write('views/hello.mustache', '<p>{{text}}!</p>')
  const asked = { stat: 0, list: 0 }
  const files: FileStore = {
    stat: path => (path.startsWith('public/') || asked.stat++, site.files.stat(path)),
    list: prefix => (asked.list++, site.files.list(prefix)),
    read: path => site.files.read(path),
    write: (path, data) => site.files.write(path, data),
    delete: path => site.files.delete(path),
    ...(told ? { onChange: (listener: (paths: string[]) => void) => site.files.onChange(listener) } : {}),
  }
  server = createWorkerServer({ files, sessions: new MemorySessionStore(), secret: 'a secret of at least 16 bytes', createWorker: fakeWorkers().create })
  return { site, asked, server }
}

describe('the worker\'s knowledge of the site\'s files', () => {
  it('asks the page where the route, module and view are once, not on every request, when the page tells it of changes', async () => {
    const told = await countedSite(true)
    expect(await text(await told.server.handle(get('/hello/a')))).toBe('<p>Hello, a!</p>')
    const first = { ...told.asked }
    for (const name of ['b', 'c', 'd', 'e']) expect(await text(await told.server.handle(get(`/hello/${name}`)))).toBe(`<p>Hello, ${name}!</p>`)
    expect(told.asked).toEqual(first)
    server?.destroy()
    // A store that cannot tell of changes is asked every time, as before.
    const untold = await countedSite(false)
    await untold.server.handle(get('/hello/a'))
    const before = { ...untold.asked }
    for (const name of ['b', 'c', 'd', 'e']) await untold.server.handle(get(`/hello/${name}`))
    expect(untold.asked.list - before.list).toBe(4)
    expect(untold.asked.stat - before.stat).toBeGreaterThanOrEqual(4 * 3)
  })

  it('sees every change at once: an edited module and view, a new route, a deleted view', async () => {
    const { site, server } = await countedSite(true)
    expect(await text(await server.handle(get('/hello/a')))).toBe('<p>Hello, a!</p>')
    await site.files.write('lib/greet.js', `export const greet = name => 'Hi, ' + name`)
    await site.files.write('views/hello.mustache', '<p>{{text}}.</p>')
    expect(await text(await server.handle(get('/hello/b')))).toBe('<p>Hi, b.</p>')
    await site.files.write('routes/bye.get.js', `export default defineHandler(() => 'bye')`)
    expect(await text(await server.handle(get('/bye')))).toBe('bye')
    await site.files.delete('views/hello.mustache')
    expect((await server.handle(get('/hello/c'))).status).toBe(500)
    await site.files.write('views/hello.mustache', '<p>{{text}}?</p>')
    expect(await text(await server.handle(get('/hello/d')))).toBe('<p>Hi, d?</p>')
  })
})
