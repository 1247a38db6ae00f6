import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/** A running built PeerServer (`.output/`), on 127.0.0.1, with its own data folder and access log. */
export interface TestServer {
  url: string
  port: number
  /** The server's process id. */
  pid: number
  accessLog: string
  /** Lines of the access log so far. */
  accessed(): Array<{ host: string, method: string, path: string, status: number, shell: boolean }>
  stop(): Promise<void>
  /** Kill the process at once (SIGKILL): no goodbye to anyone, as when a machine dies. */
  kill(): Promise<void>
}

/** A port on 127.0.0.1 that nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer()
    probe.once('error', fail)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => done(port))
    })
  })
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`)
    try {
      const response = await fetch(url)
      if (response.ok) return
    }
    catch {
      // Not listening yet.
    }
    await new Promise(r => setTimeout(r, 100))
  }
  throw new Error(`server at ${url} did not start in ${timeoutMs} ms`)
}

/** Start the built server (run `npm run build` first) on a free loopback port. */
export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  const entry = resolve('.output/server/index.mjs')
  if (!existsSync(entry)) throw new Error('no built server: run `npm run build` first')
  const cwd = mkdtempSync(join(tmpdir(), 'peerserver-test-'))
  const accessLog = join(cwd, 'access.log')
  const port = await freePort()
  const child = spawn(process.execPath, [entry], {
    cwd,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), PS_ACCESS_LOG: accessLog, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const url = `http://localhost:${port}`
  const end = (signal: NodeJS.Signals) => new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done()
    child.once('exit', () => done())
    child.kill(signal)
  })
  await waitForHttp(`http://127.0.0.1:${port}/`, child, 20_000)
  return {
    url,
    port,
    pid: child.pid ?? 0,
    accessLog,
    accessed: () => existsSync(accessLog)
      ? readFileSync(accessLog, 'utf8').trim().split('\n').filter(Boolean).map(line => JSON.parse(line))
      : [],
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  }
}
