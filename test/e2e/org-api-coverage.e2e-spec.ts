import { INTERCEPTORS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { ALLOWED_PRINCIPALS, IS_PUBLIC, REQUIRED_SCOPES } from '@app/common';
import { OrgApiInterceptor } from '../../src/modules/org-api/org-api.interceptor';
import { createTestApp, TestApp } from '../helpers/test-app';

/**
 * The OrgApiInterceptor (per-client limits, Idempotency-Key, audit with hashes) is applied
 * per controller with @OrgApi(), not globally. This walks every route of the application and
 * fails when one that admits organization tokens does not carry it.
 */
describe('organization API coverage', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('puts the OrgApiInterceptor on every route an organization token can call, and on no other', () => {
    const orgRoutes: string[] = [];
    const missing: string[] = [];
    const elsewhere: string[] = [];
    for (const module of t.app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const cls = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
        if (!cls?.prototype) continue;
        for (const name of Object.getOwnPropertyNames(cls.prototype)) {
          const handler = (cls.prototype as Record<string, unknown>)[name];
          if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
          const meta = <T>(key: string): T | undefined => Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, cls);
          const route = `${cls.name}.${name} (${String(Reflect.getMetadata(METHOD_METADATA, handler))} ${String(Reflect.getMetadata(PATH_METADATA, cls))}/${String(Reflect.getMetadata(PATH_METADATA, handler))})`;
          const principals = meta<string[]>(ALLOWED_PRINCIPALS);
          const scopes = meta<string[]>(REQUIRED_SCOPES);
          const organizationMayCall = !meta<boolean>(IS_PUBLIC) && (principals?.includes('organization') || (scopes?.length ?? 0) > 0);
          const interceptors = [...(Reflect.getMetadata(INTERCEPTORS_METADATA, cls) ?? []), ...(Reflect.getMetadata(INTERCEPTORS_METADATA, handler) ?? [])];
          const intercepted = interceptors.includes(OrgApiInterceptor);
          if (organizationMayCall) {
            orgRoutes.push(route);
            if (!intercepted) missing.push(route);
          } else if (intercepted) {
            elsewhere.push(route);
          }
        }
      }
    }
    // the walk found the organization API (GET /org/me, bank reports, inquiries, certificates, webhooks)
    expect(orgRoutes.length).toBeGreaterThanOrEqual(10);
    expect(orgRoutes.join('\n')).toMatch(/OrgSelfController\.me/);
    expect(orgRoutes.join('\n')).toMatch(/BankController\./);
    expect(missing).toEqual([]);
    expect(elsewhere).toEqual([]);
  });
});
