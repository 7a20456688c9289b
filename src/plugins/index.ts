/**
 * The server's envelop / Yoga plugins, in order. Each lives in its own `use-xxx.ts` file and
 * takes what it needs from the app; add a plugin here with one line.
 */
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { Plugin } from 'graphql-yoga';
import type { App } from '../app.js';
import type { Context } from '../context.js';
import { guardServerHooks } from './guard-server-hooks.js';
import { useApiKeys } from './use-api-keys.js';
import { useAutomaticPersistedQueries } from './use-automatic-persisted-queries.js';
import { useCompiledExecution } from './use-compiled-execution.js';
import { useCsrfPrevention } from './use-csrf-prevention.js';
import { useHealth } from './use-health.js';
import { useInbox } from './use-inbox.js';
import { useKnownOperationTypes } from './use-known-operation-types.js';
import { useMetrics } from './use-metrics.js';
import { useMultipartSubscriptions } from './use-multipart-subscriptions.js';
import { useOperationEnd } from './use-operation-end.js';
import { usePersistedOperations } from './use-persisted-operations.js';
import { useQueryLimits } from './use-query-limits.js';
import { useRequestId } from './use-request-id.js';
import { useRequestSizeLimit } from './use-request-size-limit.js';
import { useSubgraphSdlGate } from './use-subgraph-sdl-gate.js';
import { useSubscriptionRelease } from './use-subscription-release.js';
import { useTracing } from './use-tracing.js';
import { useValidationCache } from './use-validation-cache.js';
import { useWebhooks } from './use-webhooks.js';

export type ChatgraphPlugin = Plugin<Context>;

/** The plugins, each one's server hooks guarded (`guard-server-hooks.ts`). */
export function chatgraphPlugins(app: App): ChatgraphPlugin[] {
  return plugins(app).map((plugin) => guardServerHooks(plugin, app.logger));
}

function plugins(app: App): ChatgraphPlugin[] {
  return [
    useRequestId(app),
    // Operators' endpoints answer before the client-facing checks (CSRF, API keys) run.
    useHealth(app),
    useMetrics(app),
    useTracing(app),
    // Before anything reads a body: the webhooks' too.
    useRequestSizeLimit(app),
    useInbox(app),
    // Vendors' callbacks carry their own secret, not an API key, and are not GraphQL.
    useWebhooks(app),
    useCsrfPrevention(),
    ...(app.policy.introspection ? [] : [useDisableIntrospection() as ChatgraphPlugin]),
    useApiKeys(app),
    // Before the limits: an id is replaced by its document, which is then limited like any other.
    // A hash of automatic persisted queries first: the manifest's plugin then sees a plain document.
    ...[useAutomaticPersistedQueries(app), usePersistedOperations(app)].filter((plugin) => plugin !== null),
    useSubgraphSdlGate(app),
    useQueryLimits(app),
    useKnownOperationTypes(),
    // After every plugin that adds a validation rule or sets a validation result.
    useValidationCache(),
    useCompiledExecution(app),
    useMultipartSubscriptions(),
    // Last: every other plugin's subscription hooks have seen the request by then.
    useSubscriptionRelease(),
    useOperationEnd(),
  ];
}
