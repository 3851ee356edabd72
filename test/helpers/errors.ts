import { DomainError } from '@app/common';

/** The coded DomainError a promise rejects with (fails the test when it resolves or rejects with anything else). */
export async function domainError(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}
