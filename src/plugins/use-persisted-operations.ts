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
import { type ChatgraphError, persistedOperationNotFound, persistedOperationRequired } from '../errors.js';
import type { ServerPolicy } from '../policy.js';
import type { ChatgraphPlugin } from './index.js';
import { requestError } from './request-error.js';

export function usePersistedOperations(app: App): ChatgraphPlugin | null {
  const { persistedOperations: manifest, allowArbitraryOperations } = app.policy;
  if (!manifest) return null;
  const documents = new Map(Object.entries(manifest));
  const required = () => requestError(persistedOperationRequired());
  return useYogaPersistedOperations({
    allowArbitraryOperations,
    extractPersistedOperationId: persistedOperationId,
    getPersistedOperation: (id) => documents.get(id) ?? null,
    customErrors: {
      persistedQueryOnly: required,
      keyNotFound: required,
      notFound: () => requestError(persistedOperationNotFound(), 404),
    },
  }) as ChatgraphPlugin;
}

interface OperationParams {
  query?: unknown;
  extensions?: Record<string, unknown> | null;
}

/** The id a client sends instead of a document: `documentId`, or Apollo's `sha256Hash`. */
function persistedOperationId(params: OperationParams): string | null {
  const { documentId } = params as { documentId?: unknown };
  if (typeof documentId === 'string') return documentId;
  const apq = (params.extensions?.persistedQuery ?? null) as { sha256Hash?: unknown } | null;
  return typeof apq?.sha256Hash === 'string' ? `sha256:${apq.sha256Hash}` : null;
}

/**
 * The document an operation that bypasses Yoga's request hooks (graphql-ws) runs, under HTTP's
 * rule: with a manifest of trusted documents only, the manifest's document for the id it sends,
 * or its text when that is one of the manifest's documents (graphql-ws requires a `query` in every
 * operation); anything else is refused. Without that rule, the text as sent.
 */
export function trustedDocument(policy: ServerPolicy, params: OperationParams): string | ChatgraphError {
  const { persistedOperations: manifest, allowArbitraryOperations } = policy;
  // Without a manifest, the text as sent: the parser answers an empty or missing one.
  if (!manifest) return typeof params.query === 'string' ? params.query : '';
  const text = typeof params.query === 'string' && params.query !== '' ? params.query : null;
  const id = persistedOperationId(params);
  if (id !== null) {
    const document = manifest[id];
    if (document !== undefined) return document;
    if (!allowArbitraryOperations || text === null) return persistedOperationNotFound();
  }
  if (text === null) return persistedOperationRequired();
  if (allowArbitraryOperations) return text;
  return documentsOf(manifest).has(text) ? text : persistedOperationRequired();
}

/** Each manifest's documents, as a set made once. */
const manifestDocuments = new WeakMap<object, ReadonlySet<string>>();
function documentsOf(manifest: Readonly<Record<string, string>>): ReadonlySet<string> {
  let documents = manifestDocuments.get(manifest);
  if (!documents) {
    documents = new Set(Object.values(manifest));
    manifestDocuments.set(manifest, documents);
  }
  return documents;
}
