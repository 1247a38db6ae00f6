import type { RequestLog } from '../vserver/app'
import type { AuthorError } from '../vserver/modules'

/** Where an author error happened, for the log: ` (routes/a.js:3)`, or '' when unknown. */
function where(error: AuthorError): string {
  if (!error.file) return ''
  return ` (${error.file}${error.line ? `:${error.line}` : ''})`
}

/** The request log's notes for one request the worker answered: its console lines, then its error. */
export function workerLogNotes(entry: RequestLog): string[] {
  const notes = entry.console.map(line => `${entry.method} ${entry.url} console.${line.level}: ${line.text}`)
  if (entry.error) notes.push(`${entry.method} ${entry.url} → ${entry.status}: ${entry.error.message}${where(entry.error)}`)
  return notes
}

/** The log note for a problem outside a request (a crashed worker, an error a handler left behind). */
export function workerWarningNote(message: string, error?: AuthorError): string {
  return error ? `${message}: ${error.message}` : message
}
