import type { DbDocument } from '../vserver/db/types'

/** A one-line JSON preview of a document's fields (its `_id` is shown apart), cut to `max` characters with "…". */
export function previewDocument(doc: DbDocument, max = 160): string {
  const { _id: _ignored, ...fields } = doc
  const json = JSON.stringify(fields)
  return json.length > max ? `${json.slice(0, Math.max(0, max - 1))}…` : json
}

/** The document as the editor shows it: indented JSON. */
export function prettyDocument(doc: DbDocument): string {
  return JSON.stringify(doc, null, 2)
}
