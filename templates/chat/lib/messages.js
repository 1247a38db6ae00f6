// Chat messages in the `messages` collection: { name, text, at } with `at` in ms since 1970.
export const MAX_NAME = 30
export const MAX_TEXT = 500
const PAGE = 100

const messages = () => db.collection('messages')

/** Messages at or after `since` (ms), oldest first; the latest PAGE when `since` is 0. */
export async function messagesSince(since) {
  if (since > 0) return messages().find({ at: { $gte: since } }, { sort: { at: 1, _id: 1 }, limit: PAGE })
  const latest = await messages().find({}, { sort: { at: -1, _id: -1 }, limit: PAGE })
  return latest.reverse()
}

/** Check a posted message; returns an error message, or '' when it is fine. */
export function problemWith({ name, text }) {
  if (!name) return 'Choose a name first.'
  if (name.length > MAX_NAME) return `Names are at most ${MAX_NAME} characters.`
  if (!text) return 'Write a message.'
  if (text.length > MAX_TEXT) return `Messages are at most ${MAX_TEXT} characters.`
  return ''
}

export function addMessage({ name, text }) {
  return messages().insert({ name, text, at: Date.now() })
}
