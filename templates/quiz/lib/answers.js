import { questions } from './questions.js'

// One document per answered question: { question, choice, at }.
const answers = () => db.collection('answers')

/** The questions with their choices numbered, for the form. */
export function questionsForForm() {
  return questions.map((q, number) => ({
    ...q,
    number: number + 1,
    choices: q.choices.map((label, index) => ({ label, index })),
  }))
}

/** Store the choices of a posted form; returns how many questions were answered. */
export async function saveAnswers(form) {
  const at = new Date().toISOString()
  const picked = questions
    .map(q => ({ question: q.id, choice: Number.parseInt(form[q.id], 10), max: q.choices.length }))
    .filter(a => Number.isInteger(a.choice) && a.choice >= 0 && a.choice < a.max)
    .map(({ question, choice }) => ({ question, choice, at }))
  if (picked.length) await answers().insert(picked)
  return picked.length
}

/** Per question, how many picked each choice, with a percentage for the bar. */
export async function results() {
  return Promise.all(questions.map(async (q) => {
    const counts = await Promise.all(q.choices.map((_, choice) => answers().count({ question: q.id, choice })))
    const total = counts.reduce((sum, n) => sum + n, 0)
    return {
      ...q,
      total,
      choices: q.choices.map((label, index) => ({
        label,
        count: counts[index],
        percent: total ? Math.round((counts[index] / total) * 100) : 0,
        correct: q.answer === index,
      })),
    }
  }))
}
