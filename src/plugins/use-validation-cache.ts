/**
 * Validation results kept per parsed document, in place of Yoga's own validation cache (turned
 * off in `createChatgraphYoga`): Yoga keys its cache by the names of the rules, and so joined
 * the 28 rule names into a string and looked it up on every request, which cost a request for
 * `{ __typename }` about as much as all its own hooks. Here a request's rules are matched against
 * the few lists seen so far by identity (they differ only by what `useDisableIntrospection` and
 * `useSubgraphSdlGate` add), and each list keeps its results per schema and document.
 *
 * Last of the plugins with an `onValidate`, as Yoga's cache was: every rule is added by then, and a
 * result another plugin set (a shape limit) is kept like a validation's.
 */
import type { DocumentNode, GraphQLError, GraphQLSchema, ValidationRule } from 'graphql';
import type { ChatgraphPlugin } from './index.js';

interface RuleList {
  rules: readonly ValidationRule[];
  results: WeakMap<GraphQLSchema, WeakMap<DocumentNode, readonly GraphQLError[]>>;
}

/** More lists than this means rules made per request: nothing is kept for them. */
const MAX_RULE_LISTS = 16;

export function useValidationCache(): ChatgraphPlugin {
  const lists: RuleList[] = [];

  const listOf = (rules: readonly ValidationRule[]): RuleList | undefined => {
    for (const list of lists) if (sameRules(list.rules, rules)) return list;
    if (lists.length >= MAX_RULE_LISTS) return undefined;
    const list: RuleList = { rules: [...rules], results: new WeakMap() };
    lists.push(list);
    return list;
  };

  return {
    onValidate({ params: { schema, documentAST, rules }, setResult }) {
      const list = listOf(rules ?? []);
      if (!list) return;
      let bySchema = list.results.get(schema);
      if (!bySchema) {
        bySchema = new WeakMap();
        list.results.set(schema, bySchema);
      }
      const cached = bySchema.get(documentAST);
      if (cached) {
        setResult(cached);
        return;
      }
      const results = bySchema;
      return ({ result }) => {
        if (result != null) results.set(documentAST, result as readonly GraphQLError[]);
      };
    },
  };
}

function sameRules(a: readonly ValidationRule[], b: readonly ValidationRule[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
