import type { LessonVisitor } from '../lesson/hub'
import type { VisitorInfo } from '../studio/visitors'
import type { ConnectedVisitor } from './host-session'
import type { RequestLogEntry } from './serve-tunnel'

/**
 * The visitors panel's list: who is connected (from the host session), what
 * their lesson channels say (names, pages, who leads), and how many requests
 * each made. Either source may change first; the list merges both.
 */
export class VisitorRoster {
  private list: VisitorInfo[] = []
  private lesson: LessonVisitor[] = []

  constructor(private readonly now: () => number) {}

  /** Everyone connected now, oldest first. */
  visitors(): VisitorInfo[] {
    return this.list.map(visitor => ({ ...visitor }))
  }

  /** The connected visitors changed: keep what is known of those who stay. */
  setConnected(connected: ConnectedVisitor[]): void {
    const known = new Map(this.list.map(visitor => [visitor.session, visitor]))
    this.list = connected.map(({ session, route }) => ({ ...(known.get(session) ?? { session, since: this.now(), requests: 0 }), route }))
    this.setLesson(this.lesson)
  }

  /** What the visitors' lesson channels say now. */
  setLesson(lesson: LessonVisitor[]): void {
    this.lesson = lesson
    const bySession = new Map(lesson.map(visitor => [visitor.session, visitor]))
    this.list = this.list.map((visitor) => {
      const live = bySession.get(visitor.session)
      return live ? { ...visitor, name: live.name || undefined, id: live.id, lastPath: live.path, leading: live.leading } : visitor
    })
  }

  /** Count a served request; the last path is shown until the lesson channel tells the page. Returns false for an unknown visitor. */
  countRequest(entry: RequestLogEntry): boolean {
    const visitor = this.list.find(candidate => candidate.session === entry.visitor)
    if (!visitor) return false
    visitor.requests++
    if (!visitor.id) visitor.lastPath = entry.url
    return true
  }
}
