export default defineHandler(async (event) => {
  const session = await useSession(event)
  await session.clear()
  return sendRedirect(event, '/', 303)
})
