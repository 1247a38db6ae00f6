import { MemoryFileStore } from '../../../../../lib/vserver/memory-files'
import { createViewRenderer, type ViewRendererOptions } from '../../../../../lib/vserver/views'

/** A MemoryFileStore that counts reads, so tests can see the template cache at work. */
export class CountingFileStore extends MemoryFileStore {
  reads = 0

  override async read(path: string): Promise<Uint8Array | null> {
    this.reads++
    return super.read(path)
  }
}

/** A site holding `files` (path → text) and a view renderer over it. */
export async function site(files: Record<string, string>, options?: ViewRendererOptions) {
  const store = new CountingFileStore()
  for (const [path, text] of Object.entries(files)) await store.write(path, text)
  return { store, views: createViewRenderer(store, options) }
}
