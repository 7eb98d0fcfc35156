import { expect } from 'vitest';
import { FormaError } from '../../engine/errors.ts';

/** The FormaError a promise rejects with; fails the test when it resolves or throws anything else. */
export async function refusal(promise: Promise<unknown>): Promise<FormaError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(FormaError);
  return error as FormaError;
}
