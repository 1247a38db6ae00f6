import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { CHROMIUM_ARGS, chromiumPath } from './chromium.ts'

// A small internet of network namespaces, for the tests that need real NATs
// (issue 13). Nothing in it reaches the machine's own network:
//
//   host LAN (10.1.0.2) ─ host NAT ─┐                 ┌─ visitor NAT ─ visitor LAN (10.2.0.2)
//        MASQUERADE as 198.51.100.2 └─ public  (Nitro, coturn ─┘ MASQUERADE as 198.51.100.6
//                                     on 203.0.113.1)
//
// The two LANs have no route to each other: a packet between them can only
// go through the public namespace, so WebRTC connects through TURN, through
// STUN-punched NAT mappings (when the public namespace routes between the
// NATs), or not at all. The browsers' contexts grant no camera or microphone,
// as a visitor's would not: their host candidates are mDNS names, and the
// NAT-mapped pairs are learned from the checks themselves. Each LAN runs a TCP forwarder on
// its loopback to Nitro, so its browser keeps the secure http://*.localhost
// origins (service workers need one) while every byte crosses its NAT.

/** The public server's address (TEST-NET-3: never routed anywhere). */
export const PUBLIC_ADDRESS = '203.0.113.1'
/** The port Nitro listens on in the public namespace, and the LANs' forwarders on their loopback. */
export const LAB_PORT = 3000
/** coturn's port. */
export const TURN_PORT = 3478
/**
 * coturn relays to no private address, as README's deployment recipe says:
 * a credential must not reach the TURN server's own network. Here it also
 * keeps coturn from sending to the LANs' addresses, which the public
 * namespace cannot route: the send error made coturn close allocations
 * at once, and ICE then missed the relay timeout under load.
 */
const PRIVATE_PEERS_DENIED = ['10.0.0.0-10.255.255.255', '172.16.0.0-172.31.255.255', '192.168.0.0-192.168.255.255'].map(range => `--denied-peer-ip=${range}`)

const NODE = process.execPath
/** Which LAN: the host's or the visitor's. */
export type Side = 'host' | 'visitor'

/** Run `ip` (or any command) and fail loudly with its error output. */
function sh(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.error?.message}`)
}

/** Whether this process may build namespaces (root with `ip netns` and iptables); the reason when not. */
export function natLabUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'the NAT lab builds network namespaces, which needs root'
  for (const tool of ['ip', 'iptables', 'turnserver']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is missing (apt-get install iproute2 iptables coturn)`
  }
  return null
}

/** A process started in one of the lab's namespaces. */
interface LabProcess {
  child: ChildProcess
  output: () => string
}

/** Nitro in the public namespace, as the LANs' browsers reach it. */
export interface LabServer {
  /** The app's URL as a browser in either LAN opens it. */
  url: string
  port: number
  stop(): Promise<void>
}

export interface NatLab {
  /** The namespace of each part. */
  readonly ns: { public: string, hostNat: string, hostLan: string, visitorNat: string, visitorLan: string }
  /** Start the built server in the public namespace with `env` (TURN, ICE servers), and each LAN's forwarder to it. */
  startServer(env?: Record<string, string>): Promise<LabServer>
  /** Start coturn in the public namespace with coturn's REST-API shared secret. */
  startTurn(secret: string): Promise<{ urls: string[], output: () => string }>
  /** A Chromium whose every packet leaves from `side`'s LAN. */
  launchBrowser(side: Side): Promise<Browser>
  /** Both NATs drop forwarded UDP (a school firewall): TURN over UDP and peer-to-peer fail; TCP still passes. */
  blockUdp(blocked: boolean): void
  /**
   * Whether the public namespace routes between the two NATs' outside
   * addresses, as the internet does (off by default). Off, each NAT reaches
   * only the public servers, so no STUN-punched pair can exist and WebRTC
   * needs TURN. On, the NATs are also made full cone (inbound UDP to a
   * mapped port goes to the LAN's browser), as most home routers are, and
   * STUN lets the two browsers connect directly. A plain MASQUERADE is not
   * enough for that: a check that arrives before the NAT sent its own leaves
   * a conntrack entry that makes the NAT map the reply to another port.
   */
  routeBetweenNats(routed: boolean): void
  /** Stop every process and browser, and remove every namespace. */
  destroy(): Promise<void>
}

function stopProcess(process: LabProcess): Promise<void> {
  return new Promise((done) => {
    if (process.child.exitCode !== null || process.child.signalCode !== null) return done()
    const timer = setTimeout(() => process.child.kill('SIGKILL'), 3_000)
    process.child.once('exit', () => {
      clearTimeout(timer)
      done()
    })
    process.child.kill('SIGTERM')
  })
}

/** Build the lab; `destroy()` removes it (also after a failure half-way). */
export function buildNatLab(): NatLab {
  const unavailable = natLabUnavailable()
  if (unavailable) throw new Error(unavailable)
  const tag = `ps${process.pid % 100_000}`
  const ns = { public: `${tag}-pub`, hostNat: `${tag}-hnat`, hostLan: `${tag}-hlan`, visitorNat: `${tag}-vnat`, visitorLan: `${tag}-vlan` }
  const processes: LabProcess[] = []
  let udpBlocked = false
  let natsRouted = false
  const browsers: Browser[] = []
  const scratch = mkdtempSync(join(tmpdir(), 'peerserver-nat-'))
  const ipn = (name: string, ...args: string[]) => sh('ip', ['-n', name, ...args])
  const inNs = (name: string, ...args: string[]) => sh('ip', ['netns', 'exec', name, ...args])

  const build = () => {
    for (const name of Object.values(ns)) {
      sh('ip', ['netns', 'add', name])
      ipn(name, 'link', 'set', 'lo', 'up')
    }
    ipn(ns.public, 'addr', 'add', `${PUBLIC_ADDRESS}/32`, 'dev', 'lo')
    const sides = [
      { nat: ns.hostNat, lan: ns.hostLan, wan: ['198.51.100.1', '198.51.100.2'], net: '10.1.0' },
      { nat: ns.visitorNat, lan: ns.visitorLan, wan: ['198.51.100.5', '198.51.100.6'], net: '10.2.0' },
    ]
    sides.forEach(({ nat, lan, wan, net }, index) => {
      const uplink = `up${index}`
      sh('ip', ['link', 'add', uplink, 'netns', ns.public, 'type', 'veth', 'peer', 'name', 'wan', 'netns', nat])
      ipn(ns.public, 'addr', 'add', `${wan[0]}/30`, 'dev', uplink)
      ipn(ns.public, 'link', 'set', uplink, 'up')
      ipn(nat, 'addr', 'add', `${wan[1]}/30`, 'dev', 'wan')
      ipn(nat, 'link', 'set', 'wan', 'up')
      ipn(nat, 'route', 'add', 'default', 'via', wan[0]!)
      sh('ip', ['link', 'add', 'lan', 'netns', nat, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', lan])
      ipn(nat, 'addr', 'add', `${net}.1/24`, 'dev', 'lan')
      ipn(nat, 'link', 'set', 'lan', 'up')
      ipn(lan, 'addr', 'add', `${net}.2/24`, 'dev', 'eth0')
      ipn(lan, 'link', 'set', 'eth0', 'up')
      ipn(lan, 'route', 'add', 'default', 'via', `${net}.1`)
      inNs(nat, 'sysctl', '-qw', 'net.ipv4.ip_forward=1')
      inNs(nat, 'iptables', '-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan', '-j', 'MASQUERADE')
      // Unsolicited packets to the router itself are dropped, as a home router's firewall does. Linux's
      // default, an ICMP port-unreachable, reached coturn's relay socket when a check came before the
      // NAT had a mapping for it, and coturn then closed the allocation in use (one run in three).
      inNs(nat, 'iptables', '-A', 'INPUT', '-i', 'wan', '-j', 'DROP')
    })
  }

  /** Start `args` in namespace `name`; resolves once its output (or its `logFile`) matches `ready`. */
  function start(name: string, args: string[], options: { env?: Record<string, string>, cwd?: string, ready: RegExp, what: string, timeoutMs?: number, logFile?: string }): Promise<LabProcess> {
    const child = spawn('ip', ['netns', 'exec', name, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let text = ''
    const { logFile } = options
    const output = logFile ? () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '') : () => text
    const process_: LabProcess = { child, output }
    processes.push(process_)
    const timeoutMs = options.timeoutMs ?? 20_000
    return new Promise((done, fail) => {
      const finish = (error?: Error) => {
        clearTimeout(timer)
        clearInterval(poll)
        if (error) fail(error)
        else done(process_)
      }
      const timer = setTimeout(() => finish(new Error(`${options.what} did not start in ${timeoutMs} ms:\n${output().slice(-2000)}`)), timeoutMs)
      const check = () => {
        if (options.ready.test(output())) finish()
      }
      const poll = setInterval(check, logFile ? 100 : 60_000)
      const read = (chunk: Buffer) => {
        text += chunk.toString()
        if (text.length > 200_000) text = text.slice(-100_000)
        check()
      }
      child.stdout.on('data', read)
      child.stderr.on('data', read)
      child.once('exit', code => finish(new Error(`${options.what} exited (${code}) before it was ready:\n${output().slice(-2000)}\n${text.slice(-1000)}`)))
    })
  }

  async function destroy(): Promise<void> {
    await Promise.all(browsers.splice(0).map(browser => browser.close().catch(() => {})))
    await Promise.all(processes.splice(0).map(stopProcess))
    for (const name of Object.values(ns)) spawnSync('ip', ['netns', 'del', name])
    rmSync(scratch, { recursive: true, force: true })
  }

  try {
    build()
  }
  catch (error) {
    void destroy()
    throw error
  }

  return {
    ns,
    async startServer(env = {}) {
      const entry = resolve('.output/server/index.mjs')
      if (!existsSync(entry)) throw new Error('no built server: run `npm run build` first')
      const cwd = mkdtempSync(join(scratch, 'server-'))
      const server = await start(ns.public, [NODE, entry], {
        cwd,
        env: { HOST: PUBLIC_ADDRESS, PORT: String(LAB_PORT), ...env },
        ready: /Listening on/,
        what: 'Nitro',
      })
      const forwarders = await Promise.all([ns.hostLan, ns.visitorLan].map(lan =>
        start(lan, [NODE, resolve('tests/helpers/tcp-forward.mjs'), String(LAB_PORT), PUBLIC_ADDRESS, String(LAB_PORT)], { ready: /ready/, what: `the forwarder in ${lan}` })))
      return {
        url: `http://localhost:${LAB_PORT}`,
        port: LAB_PORT,
        stop: async () => {
          await Promise.all([server, ...forwarders].map(stopProcess))
        },
      }
    },
    async startTurn(secret) {
      // -n: no /etc/turnserver.conf (Debian's would send the log to syslog).
      const turn = await start(ns.public, [
        'turnserver', '-n', '--no-cli', '--no-tls', '--no-dtls', '--fingerprint', '--lt-cred-mech',
        `--listening-ip=${PUBLIC_ADDRESS}`, `--relay-ip=${PUBLIC_ADDRESS}`, `--listening-port=${TURN_PORT}`,
        '--use-auth-secret', `--static-auth-secret=${secret}`, '--realm=peerserver.test',
        '--min-port=49152', '--max-port=49407', ...PRIVATE_PEERS_DENIED, `--pidfile=${join(scratch, 'turnserver.pid')}`,
        `--log-file=${join(scratch, 'turn.log')}`, '--simple-log', '--verbose', '--new-log-timestamp', '--new-log-timestamp-format=%T',
      ], { ready: /UDP listener opened on/, what: 'coturn', logFile: join(scratch, 'turn.log') })
      return { urls: [`turn:${PUBLIC_ADDRESS}:${TURN_PORT}?transport=udp`], output: turn.output }
    },
    async launchBrowser(side) {
      const lan = side === 'host' ? ns.hostLan : ns.visitorLan
      const wrapper = join(scratch, `chromium-${side}`)
      writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${lan} ${chromiumPath()} "$@"\n`)
      chmodSync(wrapper, 0o755)
      // No loopback ICE candidates: each LAN's loopback is its own, and a pair on it could only meet itself.
      const args = CHROMIUM_ARGS.filter(arg => arg !== '--allow-loopback-in-peer-connection')
      const browser = await chromium.launch({ executablePath: wrapper, args })
      browsers.push(browser)
      return browser
    },
    routeBetweenNats(routed) {
      if (routed === natsRouted) return
      natsRouted = routed
      inNs(ns.public, 'sysctl', '-qw', `net.ipv4.ip_forward=${routed ? 1 : 0}`)
      for (const [nat, lan] of [[ns.hostNat, '10.1.0.2'], [ns.visitorNat, '10.2.0.2']] as const) {
        inNs(nat, 'iptables', '-t', 'nat', routed ? '-A' : '-D', 'PREROUTING', '-i', 'wan', '-p', 'udp', '-j', 'DNAT', '--to-destination', lan)
      }
    },
    blockUdp(blocked) {
      if (blocked === udpBlocked) return
      udpBlocked = blocked
      for (const nat of [ns.hostNat, ns.visitorNat]) {
        inNs(nat, 'iptables', blocked ? '-I' : '-D', 'FORWARD', '-p', 'udp', '-j', 'DROP')
      }
    },
    destroy,
  }
}
