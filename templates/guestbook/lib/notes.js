// The wall's notes live in the `notes` collection of the site's database.
export const MAX_NAME = 40
export const MAX_MESSAGE = 500

const notes = () => db.collection('notes')

/** Newest first, with a readable date. */
export async function latestNotes(limit = 100) {
  const list = await notes().find({}, { sort: { createdAt: -1, _id: -1 }, limit })
  return list.map(note => ({ ...note, when: formatDate(note.createdAt) }))
}

/** Check a posted form; returns an error message, or '' when it is fine. */
export function problemWith({ name, message }) {
  if (!name) return 'Please write your name.'
  if (name.length > MAX_NAME) return `Names are at most ${MAX_NAME} characters.`
  if (!message) return 'Please write a message.'
  if (message.length > MAX_MESSAGE) return `Messages are at most ${MAX_MESSAGE} characters.`
  return ''
}

export function addNote({ name, message }) {
  return notes().insert({ name, message, createdAt: new Date().toISOString() })
}

function formatDate(iso) {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 16).replace('T', ' ') + ' UTC'
}
