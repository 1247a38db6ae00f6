import { page } from '../lib/auth.js'

export default defineHandler(event => page(event, 'login', 'Log in', { next: getQuery(event).next ?? '/' }))
