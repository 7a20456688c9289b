import { Kind, valueFromASTUntyped } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { Builder } from './builder.js';

/** ISO-8601 with a time zone, e.g. `2026-02-03T05:20:33.268Z` or `2026-02-03T13:20:33+08:00`. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' && ISO_8601.test(value) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw createGraphQLError('DateTime must be an ISO-8601 string with a time zone.', {
      extensions: { code: 'INVALID_ARGUMENT' },
    });
  }
  return date;
}

export function defineScalars(builder: Builder): void {
  builder.scalarType('DateTime', {
    description: 'An instant as ISO-8601 in UTC with milliseconds, e.g. `2026-02-03T05:20:33.268Z`.',
    serialize: (value) => new Date(value).toISOString(),
    parseValue: parseDateTime,
    // One argument, not graphql-js' default (node, variables): graphql-jit parses literals
    // without variables, and warns on every scalar whose parseLiteral asks for them.
    parseLiteral: (node) => parseDateTime(node.kind === Kind.STRING ? node.value : undefined),
  });

  builder.scalarType('JSON', {
    description: 'Any JSON value, as the vendor sent it.',
    serialize: (value) => value,
    parseValue: (value) => value,
    parseLiteral: (node) => valueFromASTUntyped(node),
  });
}
