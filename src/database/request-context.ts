import { EntityManager, RequestContext } from '@mikro-orm/core';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * MikroORM's request context through its public API (what `@mikro-orm/nestjs`'s
 * `registerRequestContext` installs): one entity manager fork per request, found by every
 * injected `EntityManager` for the rest of the request.
 */
export function ormRequestContext(em: EntityManager) {
  return (_req: IncomingMessage, _res: ServerResponse, next: () => void): void => {
    RequestContext.create(em, next);
  };
}
