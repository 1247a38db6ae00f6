import { connect, createServer, type Socket } from 'node:net'

/**
 * A load balancer for the several-instance tests: one address on 127.0.0.1
 * in front of several servers, passing each TCP connection (HTTP or
 * WebSocket) to the preferred server, or to the next one that takes it when
 * that one is down, as a real balancer's health check would.
 */
export interface FrontDoor {
  url: string
  port: number
  /** Send new connections to backend `index` first (existing ones stay where they are). */
  prefer(index: number): void
  /** How many connections each backend was given. */
  counts(): number[]
  stop(): Promise<void>
}

function tryBackend(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.removeListener('error', reject)
      resolve(socket)
    })
    socket.once('error', reject)
  })
}

export async function startFrontDoor(backends: number[]): Promise<FrontDoor> {
  let preferred = 0
  const counts = backends.map(() => 0)
  const open = new Set<Socket>()
  const server = createServer(async (client) => {
    open.add(client)
    client.once('close', () => open.delete(client))
    client.pause()
    for (let step = 0; step < backends.length; step++) {
      const index = (preferred + step) % backends.length
      try {
        const upstream = await tryBackend(backends[index]!)
        counts[index]!++
        open.add(upstream)
        const end = () => {
          client.destroy()
          upstream.destroy()
        }
        upstream.once('close', () => {
          open.delete(upstream)
          end()
        })
        upstream.on('error', end)
        client.on('error', end)
        client.once('close', end)
        client.pipe(upstream).pipe(client)
        client.resume()
        return
      }
      catch {
        // Down: the next one.
      }
    }
    client.destroy()
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://localhost:${port}`,
    port,
    prefer: (index) => {
      preferred = index
    },
    counts: () => [...counts],
    stop: () => new Promise((resolve) => {
      for (const socket of open) socket.destroy()
      server.close(() => resolve())
    }),
  }
}
