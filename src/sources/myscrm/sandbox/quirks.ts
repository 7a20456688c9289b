/**
 * What myscrm's chat-record/pull document leaves open, as sandbox quirks
 * (`CHATGRAPH_SANDBOX_QUIRKS=myscrm.<quirk>=<value>`; table in docs/configuration.md):
 * - `pageCap`: `page_size` has no documented maximum, so a vendor may serve fewer per page;
 * - `repeat=N`: nothing says a cursor walk never shows a record twice: every Nth page after a
 *   query's first ends with a record of the page before it again (out of order), in place of a
 *   new one (0: never);
 * - `seconds`: `send_time`'s unit is not in the document (public material says ms): `some` or
 *   `all` records kept to the second and shown in seconds;
 * - `ties`: times kept to this many ms, so that many records share one;
 * - `keywordIn` / `keywordCase`: what "消息文本搜索词" searches: the text of text messages
 *   (`text`) or also the words of files, links, cards, … (`words`); case-insensitive or not.
 * Who is an employee (`sender_type` 1) is only the vendor's to know: ids look alike.
 */
import { z } from 'zod';
import { quirkInt } from '../../../sandbox/quirk-values.js';

export const MYSCRM_EMULATOR_MAX_PAGE = 100;

export const myscrmQuirks = z.strictObject({
  pageCap: quirkInt(1, MYSCRM_EMULATOR_MAX_PAGE).optional(),
  repeat: quirkInt(0, 1_000).default(0),
  seconds: z.enum(['off', 'some', 'all']).default('off'),
  ties: quirkInt(0, 86_400_000).default(0),
  keywordIn: z.enum(['text', 'words']).default('text'),
  keywordCase: z.enum(['insensitive', 'sensitive']).default('insensitive'),
});
export type MyscrmQuirks = z.output<typeof myscrmQuirks>;

/** The defaults: what the document says, and one reading of what it does not. */
export const MYSCRM_DEFAULT_QUIRKS: MyscrmQuirks = myscrmQuirks.parse({});
