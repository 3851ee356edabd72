import { EntityManager, RequestContext } from '@mikro-orm/core';
import type { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The store MikroORM reads its request context from (`RequestContext.getEntityManager`). */
const storage = (RequestContext as unknown as { storage: AsyncLocalStorage<RequestContext> }).storage;

/** The per-request forks, each made the first time something asks for it. */
class LazyForks extends Map<string, EntityManager> {
  constructor(private readonly root: EntityManager) {
    super();
  }

  /** While the fork is built it looks up the context itself: it must see none, as without laziness. */
  private forking = false;

  override get(name: string): EntityManager | undefined {
    let em = super.get(name);
    if (!em && name === this.root.name && !this.forking) {
      this.forking = true;
      try {
        em = this.root.fork({ useContext: true, disableContextResolution: true });
      } finally {
        this.forking = false;
      }
      this.set(name, em);
    }
    return em;
  }
}

/**
 * MikroORM's request context (what `registerRequestContext` installs: one entity manager
 * fork per request, found by every injected `EntityManager`), except that the fork is
 * made on first use. A request that only runs plain SQL on the connection (the public
 * lookups) then makes none: a fork builds a unit of work, an entity factory and loader.
 */
export function ormRequestContext(em: EntityManager) {
  return (_req: IncomingMessage, _res: ServerResponse, next: () => void): void => {
    storage.run(new RequestContext(new LazyForks(em)), next);
  };
}
