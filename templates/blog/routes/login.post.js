import { page } from '../lib/auth.js'

export default defineHandler(async (event) => {
  const { name = '', password = '', next = '/' } = await readBody(event)
  const user = await db.collection('users').findOne({ name: name.trim() })
  if (!user || !(await verifyPassword(password, user.password))) {
    setResponseStatus(event, 401)
    return page(event, 'login', 'Log in', { error: 'Wrong name or password.', next })
  }
  const session = await useSession(event)
  await session.update({ userId: user._id, name: user.name })
  // Only local paths: never redirect a visitor off the site.
  return sendRedirect(event, next.startsWith('/') && !next.startsWith('//') ? next : '/', 303)
})
