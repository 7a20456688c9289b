/**
 * What an operation would cost before it runs: its depth, its aliases, and the vendor calls its
 * plan needs. `first: 100` on twenty conversations is not one call: every `messages` field costs
 * the vendor pages its page needs (one message more than the page, in vendor pages), times how
 * many times the field runs (list fields above it: `nodes(ids:)`, `_entities(representations:)`,
 * `sources`, the `edges` of an outer page).
 */
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from './paging.js';

export interface OperationCost {
  depth: number;
  aliases: number;
  vendorCalls: number;
}

export interface CostOptions {
  variables: Record<string, unknown>;
  /** The smallest vendor page among the sources in scope: the costliest case. */
  vendorPageSize: number;
  sourceCount: number;
  operationName?: string | null;
}

export function operationCost(document: DocumentNode, options: CostOptions): OperationCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
  }
  const operation =
    operations.find((op) => op.name?.value === options.operationName) ??
    (operations.length === 1 ? operations[0] : undefined);
  const cost: OperationCost = { depth: 0, aliases: 0, vendorCalls: 0 };
  if (!operation) return cost;

  const value = (node: ValueNode | undefined): unknown => {
    if (!node) return undefined;
    switch (node.kind) {
      case Kind.VARIABLE:
        return options.variables[node.name.value];
      case Kind.INT:
        return Number(node.value);
      case Kind.LIST:
        return node.values.map(value);
      default:
        return undefined;
    }
  };

  const visit = (
    set: SelectionSetNode,
    times: number,
    depth: number,
    pageSize: number | null,
    seen: Set<string>,
  ) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, times, depth, pageSize, seen);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          visit(fragment.selectionSet, times, depth, pageSize, new Set([...seen, fragment.name.value]));
        }
        continue;
      }
      if (selection.alias) cost.aliases++;
      cost.depth = Math.max(cost.depth, depth + 1);
      const arg = (name: string) => value(selection.arguments?.find((a) => a.name.value === name)?.value);
      let childTimes = times;
      let childPage: number | null = null;
      switch (selection.name.value) {
        case 'messages': {
          const first = arg('first');
          const last = arg('last');
          const size =
            typeof first === 'number' ? first : typeof last === 'number' ? last : DEFAULT_PAGE_SIZE;
          const bounded = Math.max(0, Math.min(size, 1_000));
          cost.vendorCalls +=
            times * Math.max(1, Math.ceil((bounded + 1) / Math.max(1, options.vendorPageSize)));
          // `around` reads both sides of the message and finds the message itself.
          if (selection.arguments?.some((a) => a.name.value === 'around')) {
            cost.vendorCalls += times * 2;
          }
          childPage = bounded;
          break;
        }
        case 'conversations':
        case 'searchMessages': {
          // Answered by the store (no vendor call); what is under its edges runs once per edge.
          const first = arg('first');
          const last = arg('last');
          const size =
            typeof first === 'number' ? first : typeof last === 'number' ? last : DEFAULT_PAGE_SIZE;
          childPage = Math.max(0, Math.min(size, 1_000));
          break;
        }
        case 'edges':
          if (pageSize !== null) childTimes = times * pageSize;
          break;
        case 'nodes':
        case '_entities': {
          // A federation gateway sends its representations as a variable, like `nodes(ids:)`.
          const ids = arg(selection.name.value === 'nodes' ? 'ids' : 'representations');
          const count = Array.isArray(ids) ? ids.length : 1;
          // A message id is found again with one vendor call at most.
          cost.vendorCalls += times * count;
          childTimes = times * count;
          break;
        }
        case 'node':
          if (depth === 0) cost.vendorCalls += times;
          break;
        case 'sources':
          if (depth === 0) childTimes = times * options.sourceCount;
          break;
      }
      if (selection.selectionSet) visit(selection.selectionSet, childTimes, depth + 1, childPage, seen);
    }
  };
  visit(operation.selectionSet, 1, 0, null, new Set());
  return cost;
}
