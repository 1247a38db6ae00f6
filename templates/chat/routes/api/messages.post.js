import { addMessage, problemWith } from '../../lib/messages.js'

// POST /api/messages with JSON { name, text }: store it and answer with the stored message.
export default defineHandler(async (event) => {
  const body = (await readBody(event)) ?? {}
  const message = { name: String(body.name ?? '').trim(), text: String(body.text ?? '').trim() }
  const problem = problemWith(message)
  if (problem) throw createError({ statusCode: 400, message: problem })
  setResponseStatus(event, 201)
  return addMessage(message)
})
