import { page } from '../../lib/auth.js'

export default defineHandler(async (event) => {
  const post = await db.collection('posts').get(getRouterParam(event, 'id'))
  if (!post) throw createError({ statusCode: 404, message: 'No such post.' })
  return page(event, 'post', post.title, { post })
})
