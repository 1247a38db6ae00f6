import { questionsForForm } from '../lib/answers.js'

export default defineHandler(() => render('quiz', { title: 'Quiz', questions: questionsForForm() }))
