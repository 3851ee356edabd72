import type { EntityManager } from '@mikro-orm/postgresql';
import type { ResolvedConfig } from '../../../config/app-config';
import { HttpIdentityProvider } from './http-identity.provider';
import { IdentityProvider } from './identity-provider';
import { IdentityRegistryRepository } from './identity-registry.repository';
import { SandboxIdentityProvider } from './sandbox-identity.provider';

/** The provider IDENTITY_PROVIDER names (the configuration validated its settings). */
export function createIdentityProvider(config: ResolvedConfig, em: EntityManager, registry: IdentityRegistryRepository): IdentityProvider {
  const c = config.identity;
  if (c.provider === 'http') {
    return new HttpIdentityProvider({ baseUrl: c.http.baseUrl!, businessId: c.http.businessId!, token: c.http.token!, timeoutMs: c.http.timeoutMs, retries: c.http.retries });
  }
  return new SandboxIdentityProvider(em, registry, () => c.sandboxUnavailable);
}
