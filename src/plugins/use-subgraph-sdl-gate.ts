/**
 * `_service { sdl }` prints the whole schema: with introspection off it is served only to a
 * client whose key is a gateway's (`gateway: true`), which composes the supergraph from it.
 * `_entities` stays: it is scoped and validated like `node(id:)`.
 */
import { GraphQLError, type ValidationRule } from 'graphql';
import type { App } from '../app.js';
import { ERROR_CODES } from '../errors.js';
import type { ChatgraphPlugin } from './index.js';
import { requestClient } from './use-api-keys.js';

/** A rule of its own (`useValidationCache` keys results by the rules): callers with and without it never share a result. */
const ChatgraphSubgraphSdlForbiddenRule: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value !== '_service' || context.getParentType() !== context.getSchema().getQueryType())
      return;
    context.reportError(
      new GraphQLError(
        'The subgraph SDL (_service) is served to gateway keys only while introspection is off.',
        {
          nodes: node,
          extensions: { code: ERROR_CODES.FORBIDDEN, http: { status: 403 } },
        },
      ),
    );
  },
});

export function useSubgraphSdlGate(app: App): ChatgraphPlugin {
  return {
    onValidate({ context, addValidationRule }) {
      if (app.policy.introspection || requestClient(context.request)?.gateway) return;
      addValidationRule(ChatgraphSubgraphSdlForbiddenRule);
    },
  };
}
