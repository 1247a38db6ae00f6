import { z } from 'zod'
import { IceServerSchema, type IceServer } from '../../../shared/protocol/signal'
import type { SignalingLog } from './context'

/** The configured ICE servers (runtime config `public.iceServers`); an invalid value is logged and ignored. */
export function parseIceServers(value: unknown, log: SignalingLog): IceServer[] {
  if (value === undefined || value === null || value === '') return []
  const parsed = z.array(IceServerSchema).safeParse(value)
  if (parsed.success) return parsed.data
  log.error(`runtime config public.iceServers is not an array of RTCIceServer; using none: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
  return []
}
