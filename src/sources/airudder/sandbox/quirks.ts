/**
 * What AIRUDDER's "*Query message list" document leaves open, as sandbox quirks
 * (`CHATGRAPH_SANDBOX_QUIRKS=airudder.<quirk>=<value>`; table in docs/configuration.md):
 * - `pageCap`: `size` has no documented maximum, so a vendor may serve fewer than asked on every
 *   page without it being the end of the session;
 * - `unsorted`: the vendor's own sample is not sorted by timestamp; with this the generated sessions
 *   are not either (the sample is always served as received);
 * - `anchor=inclusive`: the document says "message_id smaller than last_msg_id", but a vendor that
 *   also repeats the `last_msg_id` message at the top of the next page is one that real data shows
 *   (records repeated across pages).
 */
import { z } from 'zod';
import { quirkFlag, quirkInt } from '../../../sandbox/quirk-values.js';

export const AIRUDDER_EMULATOR_MAX_SIZE = 50;

export const airudderQuirks = z
  .strictObject({
    pageCap: quirkInt(1, AIRUDDER_EMULATOR_MAX_SIZE).optional(),
    unsorted: quirkFlag.default(false),
    anchor: z.enum(['exclusive', 'inclusive']).default('exclusive'),
  })
  // Such a vendor answers every page with the anchor alone: nothing older could ever be read.
  .refine((quirks) => !(quirks.anchor === 'inclusive' && quirks.pageCap === 1), {
    message: 'anchor=inclusive needs pageCap of at least 2',
    path: ['pageCap'],
  });
export type AirudderQuirks = z.output<typeof airudderQuirks>;

/** The strict defaults: what the document says, nothing more. */
export const AIRUDDER_STRICT: AirudderQuirks = airudderQuirks.parse({});
