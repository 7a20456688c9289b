/**
 * Lists conversations from the vendors at start-up: for each source with a listing
 * (`Source.listConversations`) and configured `listMembers`, every member's listing is walked page
 * by page (at most `MAX_PAGES` each) and each conversation recorded with its title and last
 * activity, so the store's `conversations` shows it before anyone reads it. Runs in the
 * background: an error is logged and ends that member's walk, never the server; `stop` ends it
 * between pages.
 */
import type { Logger } from '../logger.js';
import type { AnySource, ConversationListPage, ListMember } from '../sources/source.js';
import type { StoreSourcePolicy } from './config.js';
import type { Recorder } from './recorder.js';

/** Pages read per member: a bound on start-up work whatever the vendor answers. */
export const MAX_LIST_PAGES = 50;

export interface ListingWalk {
  done: Promise<void>;
  stop(): Promise<void>;
}

export function walkListings(
  sources: AnySource[],
  policy: (source: string) => StoreSourcePolicy,
  recorder: Recorder,
  logger: Logger,
): ListingWalk {
  let stopped = false;
  const walkMember = async (source: AnySource, member: ListMember): Promise<number> => {
    let cursor: string | null = null;
    let listed = 0;
    for (let pages = 0; pages < MAX_LIST_PAGES && !stopped; pages++) {
      const page: ConversationListPage | undefined = await source.listConversations?.(member, cursor);
      if (!page) break;
      for (const conversation of page.conversations) {
        recorder.listed({
          source: source.name,
          vendor: source.vendor,
          externalId: conversation.externalId,
          // A conversation the vendor tells no time of sorts last until read.
          lastActivityAt: conversation.lastActivityAt ?? conversation.createdAt ?? 0,
          lastMessageId: null,
          preview: null,
          participants: [],
          flags: [],
          title: conversation.title,
        });
      }
      listed += page.conversations.length;
      // A cursor that does not move would walk the same page to the bound.
      if (page.nextCursor === null || page.nextCursor === cursor) break;
      cursor = page.nextCursor;
    }
    return listed;
  };
  const done = (async () => {
    for (const source of sources) {
      const members = policy(source.name).listMembers ?? [];
      if (!source.listConversations || members.length === 0) continue;
      let listed = 0;
      for (const member of members) {
        if (stopped) return;
        try {
          listed += await walkMember(source, member);
        } catch (error) {
          logger.warn(
            { err: error, source: source.name, member: member.id },
            'store: could not list conversations',
          );
        }
      }
      logger.info({ source: source.name, members: members.length, listed }, 'store: conversations listed');
    }
    await recorder.flush();
  })();
  return {
    done,
    async stop() {
      stopped = true;
      await done;
    },
  };
}
