import { page, requireUser } from '../lib/auth.js'

export default defineHandler(async (event) => {
  const user = await requireUser(event)
  if (!user) return
  return page(event, 'members', 'Members', { count: await db.collection('users').count() })
})
