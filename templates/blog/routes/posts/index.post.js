import { requireUser } from '../../lib/auth.js'
import { imageType, toBase64 } from '../../lib/images.js'

export default defineHandler(async (event) => {
  const user = await requireUser(event)
  if (!user) return
  const form = await readBody(event)
  if (!form.title?.trim()) throw createError({ statusCode: 400, message: 'A post needs a title.' })
  const image = form.image && form.image.data?.length ? form.image : null
  const type = image ? imageType(image.data) : null
  if (image && !type) throw createError({ statusCode: 400, message: 'The picture must be a PNG, JPEG, GIF or WebP image.' })
  const post = await db.collection('posts').insert({
    title: form.title.trim(),
    body: form.body ?? '',
    author: user.name,
    createdAt: new Date().toISOString(),
    image: image ? toBase64(image.data) : null,
    imageType: type,
  })
  return sendRedirect(event, `/posts/${post._id}`, 303)
})
