// A TCP forwarder for the NAT lab (tests/helpers/nat-lab.ts): run inside a
// private namespace, it listens on that namespace's loopback and passes each
// connection on to the "public" server, so the browsers there keep their
// secure http://*.localhost origins while every byte crosses the NAT.
// Usage: node tcp-forward.mjs <listen port> <target host> <target port>
import { connect, createServer } from 'node:net'

const [listenPort, targetHost, targetPort] = process.argv.slice(2)
const server = createServer((client) => {
  const upstream = connect(Number(targetPort), targetHost)
  client.pipe(upstream).pipe(client)
  const end = () => {
    client.destroy()
    upstream.destroy()
  }
  client.on('error', end)
  upstream.on('error', end)
  client.on('close', end)
  upstream.on('close', end)
})
server.listen(Number(listenPort), '127.0.0.1', () => console.log('ready'))
