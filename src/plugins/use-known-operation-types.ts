/**
 * A document whose operation type the schema does not have (`mutation { … }` here: the API only
 * reads) fails validation, as GraphQL.js 17's `KnownOperationTypesRule` will have it. GraphQL.js 16
 * lets it through and fails it at execution, which answered HTTP 200 with `data: null` and the
 * error masked as a client's argument mistake instead of a document the server cannot run.
 */
import { GraphQLError, OperationTypeNode, type ValidationRule } from 'graphql';
import type { ChatgraphPlugin } from './index.js';

const PLURALS: Record<OperationTypeNode, string> = {
  [OperationTypeNode.QUERY]: 'queries',
  [OperationTypeNode.MUTATION]: 'mutations',
  [OperationTypeNode.SUBSCRIPTION]: 'subscriptions',
};

export const KnownOperationTypes: ValidationRule = (context) => ({
  OperationDefinition(node) {
    const schema = context.getSchema();
    if (schema.getRootType(node.operation)) return;
    const known = Object.values(OperationTypeNode).filter((type) => schema.getRootType(type));
    const runs = known.map((type) => PLURALS[type]).join(' and ');
    context.reportError(
      new GraphQLError(`This API has no ${PLURALS[node.operation]}; it runs ${runs}.`, { nodes: node }),
    );
  },
});

export function useKnownOperationTypes(): ChatgraphPlugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(KnownOperationTypes);
    },
  };
}
