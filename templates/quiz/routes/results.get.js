import { results } from '../lib/answers.js'

export default defineHandler(async () => render('results', { title: 'Results', questions: await results() }))
