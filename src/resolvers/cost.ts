/**
 * What an operation would cost before it runs: its depth, its aliases, its selections once every
 * fragment is expanded, what compiling it would cost, and the vendor calls its plan needs.
 * `first: 100` on twenty conversations is not one call: every `messages` field costs the vendor
 * pages its page needs (one message more than the page, in vendor pages), times how many times the
 * field runs (list fields above it: `nodes(ids:)`, `_entities(representations:)`, `sources`, the
 * `edges` of an outer page).
 *
 * The analysis is linear in the document's size: every count is linear in how many times a
 * selection set runs, so a fragment is analysed once per (enclosing page size, root or not) and its
 * result scaled at each spread. A document whose fragments spread each other twice per level is
 * counted as the exponential it expands to, without being expanded. Counts are floats: they may
 * reach Infinity, which any limit refuses.
 *
 * Arguments are read from the variables as the operation will see them: coerced, defaults
 * included (`$n: Int = 100` costs a hundred messages, not the default page).
 */
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isObjectType,
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
  /** Field selections once fragments are expanded (the document as it will run, not its results). */
  selections: number;
  /**
   * Field selections graphql-jit generates code for: below a field of an interface or union type,
   * it generates the selection once per possible type (and again under each of those).
   */
  compileCost: number;
}

export interface CostOptions {
  /** The operation's variables, coerced and with their defaults (see `coercedVariables`). */
  variables: Record<string, unknown>;
  /** The smallest vendor page among the sources in scope: the costliest case. */
  vendorPageSize: number;
  sourceCount: number;
  operationName?: string | null;
  /** To count what compiling costs: possible types of abstract fields. Without it, 1 each. */
  schema?: GraphQLSchema;
}

/** A selection set's counts per run of it: everything but depth scales with how often it runs. */
interface SetCost {
  depth: number;
  aliases: number;
  vendorCalls: number;
  selections: number;
  compileCost: number;
}

const EMPTY: SetCost = { depth: 0, aliases: 0, vendorCalls: 0, selections: 0, compileCost: 0 };

export function selectOperation(
  document: DocumentNode,
  operationName?: string | null,
): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  return operationName
    ? operations.find((op) => op.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
}

export function operationCost(document: DocumentNode, options: CostOptions): OperationCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const operation = selectOperation(document, options.operationName);
  if (!operation) return { ...EMPTY };
  const { schema } = options;

  const value = (node: ValueNode | undefined): unknown => {
    if (!node) return undefined;
    switch (node.kind) {
      case Kind.VARIABLE:
        return options.variables[node.name.value];
      case Kind.INT:
        return Number(node.value);
      case Kind.LIST:
        return node.values;
      default:
        return undefined;
    }
  };

  const childType = (parent: GraphQLNamedType | undefined, field: string): GraphQLNamedType | undefined => {
    if (!parent || !isCompositeType(parent) || !('getFields' in parent)) return undefined;
    const type = parent.getFields()[field]?.type;
    return type ? getNamedType(type) : undefined;
  };

  const memo = new Map<string, SetCost>();
  /** Fragments being analysed: a cycle (invalid, refused by validation) counts as nothing. */
  const open = new Set<string>();

  const visit = (
    set: SelectionSetNode,
    parent: GraphQLNamedType | undefined,
    root: boolean,
    pageSize: number | null,
  ): SetCost => {
    const total: SetCost = { ...EMPTY };
    const add = (part: SetCost, times: number) => {
      total.depth = Math.max(total.depth, part.depth);
      total.aliases += times * part.aliases;
      total.vendorCalls += times * part.vendorCalls;
      total.selections += times * part.selections;
      total.compileCost += times * part.compileCost;
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition
          ? schema?.getType(selection.typeCondition.name.value)
          : parent;
        add(visit(selection.selectionSet, condition ?? parent, root, pageSize), 1);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || open.has(name)) continue;
        const key = `${name}\n${pageSize}\n${root}`;
        let part = memo.get(key);
        if (!part) {
          open.add(name);
          const condition = schema?.getType(fragment.typeCondition.name.value) ?? parent;
          part = visit(fragment.selectionSet, condition, root, pageSize);
          open.delete(name);
          memo.set(key, part);
        }
        add(part, 1);
        continue;
      }
      const field: SetCost = { ...EMPTY, depth: 1, selections: 1 };
      if (selection.alias) field.aliases = 1;
      const arg = (name: string) => value(selection.arguments?.find((a) => a.name.value === name)?.value);
      let childTimes = 1;
      let childPage: number | null = null;
      switch (selection.name.value) {
        case 'messages': {
          const first = arg('first');
          const last = arg('last');
          const size =
            typeof first === 'number' ? first : typeof last === 'number' ? last : DEFAULT_PAGE_SIZE;
          const bounded = Math.max(0, Math.min(size, 1_000));
          field.vendorCalls += Math.max(1, Math.ceil((bounded + 1) / Math.max(1, options.vendorPageSize)));
          // `around` reads both sides of the message and finds the message itself.
          if (selection.arguments?.some((a) => a.name.value === 'around')) field.vendorCalls += 2;
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
          if (pageSize !== null) childTimes = pageSize;
          break;
        case 'nodes':
        case '_entities': {
          // A federation gateway sends its representations as a variable, like `nodes(ids:)`.
          const ids = arg(selection.name.value === 'nodes' ? 'ids' : 'representations');
          const count = Array.isArray(ids) ? ids.length : 1;
          // A message id is found again with one vendor call at most.
          field.vendorCalls += count;
          childTimes = count;
          break;
        }
        case 'node':
          if (root) field.vendorCalls += 1;
          break;
        case 'sources':
          if (root) childTimes = options.sourceCount;
          break;
      }
      if (selection.selectionSet) {
        const type = childType(parent, selection.name.value);
        const child = visit(selection.selectionSet, type, false, childPage);
        field.depth = 1 + child.depth;
        // Aliases and selections are the document's, expanded; vendor calls are the plan's.
        field.aliases += child.aliases;
        field.vendorCalls += childTimes * child.vendorCalls;
        field.selections += child.selections;
      }
      add(field, 1);
    }
    return total;
  };
  const rootType = schema?.getRootType(operation.operation) ?? undefined;
  const cost = visit(operation.selectionSet, rootType, true, null);
  cost.compileCost =
    schema && rootType ? compileCost(schema, fragments, operation.selectionSet, rootType) : cost.selections;
  return cost;
}

/**
 * The field selections graphql-jit generates code for: below a field of an interface or union
 * type it generates the selection set once per possible type, with the fragments that apply to
 * that type, and again below each of those. Memoized per (selection set, concrete type): linear
 * in the document times the schema's types.
 */
function compileCost(
  schema: GraphQLSchema,
  fragments: Map<string, FragmentDefinitionNode>,
  root: SelectionSetNode,
  rootType: GraphQLNamedType,
): number {
  /** Per selection set and concrete type: a set below N abstract fields is counted once, not N times. */
  const memo = new WeakMap<SelectionSetNode, Map<string, number>>();
  const open = new Set<string>();
  const applies = (condition: string | undefined, type: GraphQLObjectType): boolean => {
    if (condition === undefined || condition === type.name) return true;
    const named = schema.getType(condition);
    return named !== undefined && isAbstractType(named) && schema.isSubType(named, type);
  };
  const ofSet = (set: SelectionSetNode, type: GraphQLNamedType): number => {
    if (isAbstractType(type)) {
      let total = 0;
      for (const possible of schema.getPossibleTypes(type)) total += ofSet(set, possible);
      return total;
    }
    if (!isObjectType(type)) return 0;
    let byType = memo.get(set);
    const known = byType?.get(type.name);
    if (known !== undefined) return known;
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        total += 1;
        const fieldType = type.getFields()[selection.name.value]?.type;
        if (selection.selectionSet && fieldType)
          total += ofSet(selection.selectionSet, getNamedType(fieldType));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value, type)) total += ofSet(selection.selectionSet, type);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || open.has(name) || !applies(fragment.typeCondition.name.value, type)) continue;
        open.add(name);
        total += ofSet(fragment.selectionSet, type);
        open.delete(name);
      }
    }
    if (!byType) {
      byType = new Map();
      memo.set(set, byType);
    }
    byType.set(type.name, total);
    return total;
  };
  return ofSet(root, rootType);
}
