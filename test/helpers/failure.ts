import { expect } from 'vitest';
import { ChatgraphError } from '../../src/errors.js';

/** The typed error `promise` rejects with; fails the test if it resolves or rejects otherwise. */
export async function failure(promise: Promise<unknown>): Promise<ChatgraphError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChatgraphError);
  return error as ChatgraphError;
}
