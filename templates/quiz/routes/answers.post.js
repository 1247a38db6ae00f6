import { questionsForForm, saveAnswers } from '../lib/answers.js'

// POST /answers from the quiz form: keep the choices, then show the results.
export default defineHandler(async (event) => {
  const form = (await readBody(event)) ?? {}
  if (typeof form !== 'object' || !(await saveAnswers(form))) {
    setResponseStatus(event, 400)
    return render('quiz', { title: 'Quiz', questions: questionsForForm(), error: 'Pick an answer to at least one question.' })
  }
  return sendRedirect(event, '/results', 303)
})
