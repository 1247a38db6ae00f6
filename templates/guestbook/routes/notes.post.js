import { addNote, latestNotes, MAX_MESSAGE, MAX_NAME, problemWith } from '../lib/notes.js'

// POST /notes from the form on the wall: store the note, then back to the wall.
export default defineHandler(async (event) => {
  const body = (await readBody(event)) ?? {}
  const form = { name: String(body.name ?? '').trim(), message: String(body.message ?? '').trim() }
  const error = problemWith(form)
  if (error) {
    setResponseStatus(event, 400)
    return render('wall', { title: 'Class wall', notes: await latestNotes(), maxName: MAX_NAME, maxMessage: MAX_MESSAGE, form, error })
  }
  await addNote(form)
  return sendRedirect(event, '/', 303)
})
