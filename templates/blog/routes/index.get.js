import { page } from '../lib/auth.js'

export default defineHandler(async (event) => {
  const posts = await db.collection('posts').find({}, { sort: { createdAt: -1, _id: -1 }, fields: ['_id', 'title', 'author'] })
  return page(event, 'home', 'Posts', { posts })
})
