import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';

/** Who is acting, as the audit log and ownership checks see it. */
export interface Actor {
  type: 'citizen' | 'staff' | 'organization' | 'system' | 'anonymous';
  id: string | null;
  /** Staff roles or organization scopes. */
  roles?: string[];
  /** Regions a staff member is bound to (empty for admins: all regions). */
  regions?: number[];
  /** OAuth client id, for organization tokens (the actor id is the organization). */
  clientId?: string;
  /** Citizens: whether the member's identity is verified (registries or a region desk); see `@VerifiedIdentity()`. */
  identityVerified?: boolean;
}

export interface RequestContextData {
  requestId: string;
  ip?: string;
  actor?: Actor;
}

const storage = new AsyncLocalStorage<RequestContextData>();

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const RequestContext = {
  current(): RequestContextData | undefined {
    return storage.getStore();
  },
  requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },
  run<T>(data: RequestContextData, fn: () => T): T {
    return storage.run(data, fn);
  },
  setActor(actor: Actor): void {
    const store = storage.getStore();
    if (store) store.actor = actor;
  },
};

/** Reads a trusted X-Request-Id or makes one; echoes it and binds the async context. */
export function requestIdMiddleware(req: IncomingMessage & { ip?: string }, res: ServerResponse, next: () => void): void {
  const incoming = req.headers['x-request-id'];
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  const requestId = value && REQUEST_ID.test(value) ? value : randomUUID();
  (req as IncomingMessage & { id?: string }).id = requestId;
  res.setHeader('X-Request-Id', requestId);
  storage.run({ requestId, ip: req.ip }, () => next());
}

export function requestIdOf(req: Request): string | undefined {
  return (req as Request & { id?: string }).id ?? storage.getStore()?.requestId;
}
