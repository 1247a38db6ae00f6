import { fromBase64 } from '../../../lib/images.js'

export default defineHandler(async (event) => {
  const post = await db.collection('posts').get(getRouterParam(event, 'id'))
  if (!post?.image) throw createError({ statusCode: 404, message: 'No picture.' })
  return new Response(fromBase64(post.image), { headers: { 'content-type': post.imageType, 'cache-control': 'no-cache' } })
})
