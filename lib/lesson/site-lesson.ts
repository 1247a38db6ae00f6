import type * as Y from 'yjs'
import { LessonReportSchema, type LessonReport } from '../../shared/protocol/lesson'

/**
 * A live lesson's shared state in the site document (`lesson` map): where the
 * leader is, so every author's host moves its own followers, and who was
 * removed, so no host lets them back in.
 */
export class SiteLesson {
  private readonly map: Y.Map<unknown>
  private readonly removedMap: Y.Map<unknown>

  constructor(readonly doc: Y.Doc) {
    this.map = doc.getMap<unknown>('lesson')
    this.removedMap = doc.getMap<unknown>('lessonRemoved')
  }

  /** Where the leader is now, or null (checked: a remote peer wrote it). */
  leader(): LessonReport | null {
    const parsed = LessonReportSchema.safeParse(this.map.get('leader'))
    return parsed.success ? parsed.data : null
  }

  /** The leader moved (null: the lesson has no leader any more). */
  setLeader(report: LessonReport | null): void {
    if (report) this.map.set('leader', { ...report })
    else this.map.delete('leader')
  }

  /** Hear the leader move, local or remote; returns the unsubscribe function. */
  onLeader(listener: (report: LessonReport | null) => void): () => void {
    const observer = (event: Y.YMapEvent<unknown>) => {
      if (event.keysChanged.has('leader')) listener(this.leader())
    }
    this.map.observe(observer)
    return () => this.map.unobserve(observer)
  }

  /** Keep visitor `id` out of the lesson. */
  remove(id: string, name: string): void {
    this.removedMap.set(id, name.slice(0, 60))
  }

  isRemoved(id: string): boolean {
    return this.removedMap.has(id)
  }

  /** Let everyone back in (a new lesson). */
  clearRemoved(): void {
    this.doc.transact(() => {
      for (const id of [...this.removedMap.keys()]) this.removedMap.delete(id)
    })
  }
}
