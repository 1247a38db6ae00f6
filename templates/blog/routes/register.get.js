import { page } from '../lib/auth.js'

export default defineHandler(event => page(event, 'register', 'Register'))
