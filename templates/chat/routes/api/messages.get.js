import { messagesSince } from '../../lib/messages.js'

// GET /api/messages?since=<ms>: the page polls this every 2 seconds.
export default defineHandler(async (event) => {
  const since = Number(getQuery(event).since) || 0
  return { messages: await messagesSince(since), now: Date.now() }
})
