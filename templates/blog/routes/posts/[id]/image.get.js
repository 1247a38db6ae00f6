import { fromBase64, imageType } from '../../../lib/images.js'

export default defineHandler(async (event) => {
  const post = await db.collection('posts').get(getRouterParam(event, 'id'))
  if (!post?.image) throw createError({ statusCode: 404, message: 'No picture.' })
  const bytes = fromBase64(post.image)
  // The type comes from the bytes (a post from before this check may hold anything), and the browser may not guess another.
  const type = imageType(bytes)
  if (!type) throw createError({ statusCode: 415, message: 'This post\'s picture is not an image.' })
  return new Response(bytes, { headers: { 'content-type': type, 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'; sandbox", 'cache-control': 'no-cache' } })
})
