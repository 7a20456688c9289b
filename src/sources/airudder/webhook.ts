/**
 * AIRUDDER's callbacks (new user message, bot reply, agent transfer, message status change,
 * session end) as wake-ups. The vendor's webhook documentation gives the envelope of new messages
 * as `{event, call_id, company, channel: "chatbot", channel_id, user: {id, name}, messages: [...]}`
 * (../shared/vendors/airudder.md, "Notes gathered from public material"); the other callbacks'
 * envelopes are not public, so only `call_id` is required and `event` is kept as given. The
 * messages in it are never used: the walk reads them through the session messages API.
 */
import { z } from 'zod';

const envelope = z.looseObject({
  call_id: z.string().min(1).max(200),
  event: z.string().max(200).optional(),
});

/**
 * The `event` names taken as "Callback for session end event" (回调会话结束事件). The vendor's
 * document lists the callback but not its envelope, so the name is not known: these spellings are
 * accepted, case and separators aside (`session_end`, `SessionEnded`, `end-session`, …).
 */
const SESSION_END_EVENTS = new Set(['sessionend', 'sessionended', 'endsession', 'sessionclosed']);

/** The session a callback is about, or null when the body is not a callback envelope. */
export function airudderWebhookConversation(
  body: unknown,
): { conversation: string; event: string | null; ended: boolean } | null {
  const parsed = envelope.safeParse(body);
  if (!parsed.success) return null;
  const event = parsed.data.event ?? null;
  const ended = event !== null && SESSION_END_EVENTS.has(event.toLowerCase().replace(/[\s._-]/g, ''));
  return { conversation: parsed.data.call_id, event, ended };
}

/** An envelope for the sandbox emulator to send: the documented fields, with `messages` as stored. */
export function airudderWebhookEnvelope(callId: string, messages: unknown[]): Record<string, unknown> {
  return {
    event: 'message',
    call_id: callId,
    company: 'sandbox',
    channel: 'chatbot',
    channel_id: 'sandbox-channel',
    user: { id: 'sandbox-user', name: 'Sandbox User' },
    messages,
  };
}
