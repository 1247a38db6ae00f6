// The chat page: polls /api/messages every 2 seconds and posts new messages as JSON.
const POLL_MS = 2000
const list = document.getElementById('messages')
const form = document.getElementById('send')
const nameInput = document.getElementById('name')
const textInput = document.getElementById('text')
const status = document.getElementById('status')
const seen = new Set()
let since = 0

// The name is remembered in this browser, so visitors type it once.
// (Storage can be switched off by the browser: then the name is just not kept.)
function recallName() {
  try {
    return localStorage.getItem('chat-name') ?? ''
  }
  catch {
    return ''
  }
}
function rememberName(name) {
  try {
    localStorage.setItem('chat-name', name)
  }
  catch {
    status.title = 'This browser does not keep your name.'
  }
}
nameInput.value = recallName()
nameInput.addEventListener('change', () => rememberName(nameInput.value.trim()))

function show(message) {
  if (seen.has(message._id)) return
  seen.add(message._id)
  const item = document.createElement('li')
  const who = document.createElement('strong')
  who.textContent = message.name
  const time = document.createElement('time')
  time.dateTime = new Date(message.at).toISOString()
  time.textContent = new Date(message.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
  // textContent, never innerHTML: a message is shown as text, whatever it contains.
  item.append(who, ' ', time, document.createElement('br'), message.text)
  if (message.name === nameInput.value.trim()) item.className = 'mine'
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 8
  list.append(item)
  if (atBottom) list.scrollTop = list.scrollHeight
  since = Math.max(since, message.at)
}

async function poll() {
  try {
    const response = await fetch(`/api/messages?since=${since}`, { headers: { accept: 'application/json' } })
    if (!response.ok) throw new Error(`status ${response.status}`)
    const data = await response.json()
    data.messages.forEach(show)
    status.textContent = 'live'
    status.className = 'status live'
  }
  catch {
    status.textContent = 'offline, retrying…'
    status.className = 'status offline'
  }
  setTimeout(poll, POLL_MS)
}

form.addEventListener('submit', async (event) => {
  event.preventDefault()
  const name = nameInput.value.trim()
  const text = textInput.value.trim()
  if (!name || !text) return
  rememberName(name)
  try {
    const response = await fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, text }),
    })
    if (!response.ok) throw new Error(`status ${response.status}`)
    show(await response.json())
    textInput.value = ''
  }
  catch {
    status.textContent = 'not sent, try again'
    status.className = 'status offline'
  }
  textInput.focus()
})

poll()
