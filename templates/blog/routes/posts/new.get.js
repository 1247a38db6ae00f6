import { page, requireUser } from '../../lib/auth.js'

export default defineHandler(async (event) => {
  if (!(await requireUser(event))) return
  return page(event, 'new-post', 'New post')
})
