import { page } from '../lib/auth.js'

export default defineHandler(async (event) => {
  const { name = '', password = '' } = await readBody(event)
  const users = db.collection('users')
  let error = ''
  if (name.trim().length < 2) error = 'Choose a name of at least 2 characters.'
  else if (password.length < 6) error = 'Choose a password of at least 6 characters.'
  else if (await users.findOne({ name: name.trim() })) error = 'That name is taken.'
  if (error) {
    setResponseStatus(event, 400)
    return page(event, 'register', 'Register', { error })
  }
  const user = await users.insert({ name: name.trim(), password: await hashPassword(password), joined: new Date().toISOString() })
  const session = await useSession(event)
  await session.update({ userId: user._id, name: user.name })
  return sendRedirect(event, '/', 303)
})
