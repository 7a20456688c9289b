/**
 * Persisted operations (trusted documents): with a manifest configured (`server.persistedOperations`,
 * the GraphQL Code Generator client preset's `persistedDocuments` output: `{ "sha256:<hex>":
 * "<document>" }`), a client sends a document's id instead of its text: as `documentId` (the
 * client preset's way) or as Apollo's `extensions.persistedQuery.sha256Hash`. With
 * `allowArbitraryOperations: false`, nothing else runs: a hostile client can only choose among
 * the documents the frontend shipped.
 */
import { usePersistedOperations as useYogaPersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { App } from '../app.js';
import { ChatgraphError, ERROR_CODES } from '../errors.js';
import type { ChatgraphPlugin } from './index.js';
import { requestError } from './request-error.js';

export function usePersistedOperations(app: App): ChatgraphPlugin | null {
  const { persistedOperations: manifest, allowArbitraryOperations } = app.policy;
  if (!manifest) return null;
  const documents = new Map(Object.entries(manifest));
  const required = () =>
    requestError(
      new ChatgraphError(
        ERROR_CODES.PERSISTED_OPERATION_REQUIRED,
        'This server runs persisted operations only: send the document\'s id as "documentId", not its text.',
      ),
    );
  return useYogaPersistedOperations({
    allowArbitraryOperations,
    extractPersistedOperationId(params) {
      const { documentId } = params as { documentId?: unknown };
      if (typeof documentId === 'string') return documentId;
      const apq = (params.extensions?.persistedQuery ?? null) as { sha256Hash?: unknown } | null;
      return typeof apq?.sha256Hash === 'string' ? `sha256:${apq.sha256Hash}` : null;
    },
    getPersistedOperation: (id) => documents.get(id) ?? null,
    customErrors: {
      persistedQueryOnly: required,
      keyNotFound: required,
      notFound: () =>
        requestError(
          new ChatgraphError(
            ERROR_CODES.PERSISTED_OPERATION_NOT_FOUND,
            'No persisted operation has this id: the client and the server may be of different releases.',
          ),
          404,
        ),
    },
  }) as ChatgraphPlugin;
}
