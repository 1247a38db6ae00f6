// Shared by the routes: who is signed in, and a guard for members-only pages.
export async function currentUser(event) {
  const session = await useSession(event)
  return session.data.userId ? { id: session.data.userId, name: session.data.name } : null
}

export async function requireUser(event) {
  const user = await currentUser(event)
  if (!user) sendRedirect(event, `/login?next=${encodeURIComponent(event.path)}`, 303)
  return user
}

export async function page(event, view, title, data = {}) {
  return render(view, { title, user: await currentUser(event), ...data })
}
