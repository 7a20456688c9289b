/** The AIRUDDER sandbox's live session: messages with the generated sessions' shape, sent now. */

import { LIVE_CONVERSATION, LiveFeed } from '../../../sandbox/live.js';
import { airudderWebhookEnvelope } from '../webhook.js';
import { type AirudderWireMessage, generateAirudderSession } from './data.js';

export function airudderLiveFeed(): LiveFeed<AirudderWireMessage> {
  return new LiveFeed<AirudderWireMessage>({
    envelope: (records) => airudderWebhookEnvelope(LIVE_CONVERSATION, records),
    make(index, now) {
      const [message] = generateAirudderSession({ seed: index + 1, count: 1, start: 0 });
      // The vendor's timestamps are seconds: several live messages can share one, and the
      // emulator serves ties newest first like the sample (reverse arrival order).
      return {
        ...(message as AirudderWireMessage),
        msg_id: `${index.toString(16).padStart(8, '0')}${(message as AirudderWireMessage).msg_id.slice(8)}`,
        timestamp: Math.floor(now / 1000),
      };
    },
  });
}
