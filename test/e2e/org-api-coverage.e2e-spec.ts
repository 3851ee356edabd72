import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ALLOWED_PRINCIPALS, IS_PUBLIC, OPENAPI_RATE_LIMIT_EXTENSION, REQUIRED_SCOPES } from '@app/common';
import { ORG_API_RATE_LIMIT } from '../../src/modules/org-api/org-api.module';
import { createTestApp, TestApp } from '../helpers/test-app';

const SRC = join(__dirname, '../../src');
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * The OrgApiInterceptor (per-client limits, Idempotency-Key, audit with hashes) is applied
 * per controller with @OrgApi(), not globally. This walks every operation of the application
 * (the OpenAPI document Nest's Swagger module builds from the routes, through public API
 * only) and fails when one that admits organization tokens does not carry @OrgApi(), or one
 * that does not admit them does. @OrgApi() is the only way the interceptor is applied (the
 * second test), so carrying @OrgApi() — its `x-rate-limit` — is carrying the interceptor.
 */
describe('organization API coverage', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('puts @OrgApi() on every route an organization token can call, and on no other', async () => {
    // every controller class by name (operation ids are `<Controller>_<method>`)
    const controllers = new Map<string, new (...args: never[]) => unknown>();
    for (const file of filesUnder(SRC).filter((f) => f.endsWith('.controller.ts'))) {
      for (const value of Object.values((await import(file)) as Record<string, unknown>)) {
        if (typeof value !== 'function' || !value.name.endsWith('Controller')) continue;
        const cls = value as new (...args: never[]) => unknown;
        if (controllers.has(cls.name) && controllers.get(cls.name) !== cls) throw new Error(`two controllers named ${cls.name}`);
        controllers.set(cls.name, cls);
      }
    }
    const document = SwaggerModule.createDocument(t.app, new DocumentBuilder().build(), {
      operationIdFactory: (controllerKey, methodKey) => `${controllerKey}_${methodKey}`,
    });
    const orgRoutes: string[] = [];
    const missing: string[] = [];
    const elsewhere: string[] = [];
    let operations = 0;
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of METHODS) {
        const op = item[method] as (Record<string, unknown> & { operationId?: string }) | undefined;
        if (!op) continue;
        operations++;
        const [className, name] = (op.operationId ?? '').split('_');
        const cls = controllers.get(className);
        const handler = cls?.prototype ? (cls.prototype as Record<string, unknown>)[name] : undefined;
        if (!cls || typeof handler !== 'function') throw new Error(`${method.toUpperCase()} ${path}: no handler ${op.operationId} in a *.controller.ts file`);
        const meta = <T>(key: string): T | undefined => Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, cls);
        const route = `${className}.${name} (${method.toUpperCase()} ${path})`;
        const principals = meta<string[]>(ALLOWED_PRINCIPALS);
        const scopes = meta<string[]>(REQUIRED_SCOPES);
        const organizationMayCall = !meta<boolean>(IS_PUBLIC) && (principals?.includes('organization') || (scopes?.length ?? 0) > 0);
        const intercepted = (op[OPENAPI_RATE_LIMIT_EXTENSION] as { per?: string } | undefined)?.per === ORG_API_RATE_LIMIT.per;
        if (organizationMayCall) {
          orgRoutes.push(route);
          if (!intercepted) missing.push(route);
        } else if (intercepted) {
          elsewhere.push(route);
        }
      }
    }
    expect(operations).toBeGreaterThan(100);
    // the walk found the organization API (GET /org/me, bank reports, inquiries, certificates, webhooks)
    expect(orgRoutes.length).toBeGreaterThanOrEqual(10);
    expect(orgRoutes.join('\n')).toMatch(/OrgSelfController\.me/);
    expect(orgRoutes.join('\n')).toMatch(/BankController\./);
    expect(missing).toEqual([]);
    expect(elsewhere).toEqual([]);
  });

  it('applies the OrgApiInterceptor only through @OrgApi()', () => {
    const applying = filesUnder(SRC)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
      .filter((f) => /UseInterceptors\([^)]*OrgApiInterceptor/.test(readFileSync(f, 'utf8')) || /APP_INTERCEPTOR[\s\S]{0,80}OrgApiInterceptor/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(applying).toEqual(['modules/org-api/org-api.module.ts']);
  });
});
