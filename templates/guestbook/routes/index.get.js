import { latestNotes, MAX_MESSAGE, MAX_NAME } from '../lib/notes.js'

export default defineHandler(async () => {
  return render('wall', { title: 'Class wall', notes: await latestNotes(), maxName: MAX_NAME, maxMessage: MAX_MESSAGE, form: {} })
})
