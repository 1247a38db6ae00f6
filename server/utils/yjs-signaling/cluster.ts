import { z } from 'zod'
import { YjsTopicSchema, isOverYjsSignalLimit } from '../../../shared/protocol/yjs-signal'
import { decodeEnvelope, encodeEnvelope } from '../backplane/envelope'
import type { Backplane } from '../backplane/types'
import type { SignalingLog } from '../signaling/context'
import { publishedText } from './handlers'
import type { YjsRoomState } from './state'

// Room signaling across instances: each instance subscribes to a topic's
// channel while it has a subscriber of that topic, and a publish on one
// reaches the topic's subscribers on all. The envelope's body is the publish's
// data as JSON text, so no instance parses it again.

const PublishHeadSchema = z.object({ from: z.string(), topic: YjsTopicSchema })
const utf8 = new TextDecoder('utf-8', { fatal: true })
const topicChannel = (topic: string) => `yjs:topic:${topic}`

/** What a room hub does with its backplane: follow its topics, and pass publishes on. */
export interface YjsCluster {
  /** Pass a publish to the other instances' subscribers of `topic`. */
  forward(topic: string, data: string): void
}

/** Link `state`'s topics to the other instances through `backplane`; `sendText` delivers to a peer here. */
export function joinYjsCluster(backplane: Backplane, state: YjsRoomState, log: SignalingLog, sendText: (peerId: string, text: string, what: string) => void): YjsCluster {
  const deliver = (payload: Uint8Array) => {
    const envelope = decodeEnvelope(payload)
    const head = PublishHeadSchema.safeParse(envelope?.head)
    if (!envelope || !head.success) {
      log.warn('dropped an invalid publish from another instance')
      return
    }
    // Its sender delivered it to its own subscribers already.
    if (head.data.from === backplane.instance) return
    const receivers = state.subscribers(head.data.topic)
    if (receivers.size === 0) return
    let text: string
    try {
      text = publishedText(head.data.topic, utf8.decode(envelope.body), receivers.size)
    }
    catch (error) {
      log.warn('dropped a publish from another instance that is not UTF-8', error)
      return
    }
    if (isOverYjsSignalLimit(text)) return
    for (const id of [...receivers]) sendText(id, text, 'a publish')
  }
  state.onTopic = (topic, open) => {
    if (open) backplane.subscribe(topicChannel(topic), deliver)
    else backplane.unsubscribe(topicChannel(topic))
  }
  const encoder = new TextEncoder()
  return {
    forward: (topic, data) => backplane.publish(topicChannel(topic), encodeEnvelope({ from: backplane.instance, topic }, encoder.encode(data))),
  }
}
