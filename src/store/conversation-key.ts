/**
 * The key a conversation is known by in maps and loaders: its source and external id. In a module
 * of its own so that what uses it at every request (`Query.conversations`' loaders) does not load
 * the store's query builder in a process that has no store.
 */
export const conversationKey = (source: string, externalId: string): string => `${source}\n${externalId}`;
