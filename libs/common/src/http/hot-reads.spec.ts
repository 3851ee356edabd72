import { createServer } from 'node:http';
import request from 'supertest';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { hotReads } from './hot-reads';
import { NormalizeInputPipe } from './normalize.pipe';
import { createValidationPipe } from './validation';
import { MaxLengthParamPipe } from '../validation/bounds';
import { defineErrors } from '../errors/domain-error';

class RegionQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(9)
  region?: number;
}

const Errors = defineErrors({ THING_NOT_FOUND: { status: 404, message: { en: 'No such thing.', fa: 'چنین چیزی نیست.' } } });

describe('hot reads: public GETs answered ahead of the router, with the same pipes and errors', () => {
  const calls: unknown[][] = [];
  const passed: string[] = [];
  const front = hotReads(
      'api/v1',
      [
        {
          path: 'things/:code',
          paramShapes: { code: /^[0-9۰-۹]/ },
          args: [
            { from: 'param', name: 'code', pipes: [new MaxLengthParamPipe('code', { maxLength: 10 })] },
            { from: 'query', metatype: RegionQuery },
          ],
          handle: async (code: string, query: RegionQuery) => {
            calls.push([code, query]);
            if (code === '404') throw Errors.THING_NOT_FOUND();
            return { code, region: query.region ?? null };
          },
        },
        { path: 'shapes', args: [], handle: async () => '{"type":"FeatureCollection"}', contentType: 'application/geo+json; charset=utf-8' },
      ],
      [new NormalizeInputPipe(), createValidationPipe()],
      // the common middlewares run first, on Node's own request and response
      [
        (req, res, next) => {
          passed.push(req.url!);
          res.setHeader('X-Seen', 'yes');
          next();
        },
      ],
  );
  // what the front handler does not take reaches the router (Express in the application)
  const app = createServer((req, res) => {
    if (front(req, res)) return;
    res.writeHead(299, { 'content-type': 'application/json' }).end(JSON.stringify({ router: `${req.method} ${req.url}` }));
  });

  beforeEach(() => {
    calls.length = 0;
    passed.length = 0;
  });

  it('answers a matching GET with the handler’s JSON, its arguments through the global pipes (Persian digits, number conversion)', async () => {
    const res = await request(app).get('/api/v1/things/۱۲۳?region=۲').expect(200);
    expect(res.body).toEqual({ code: '123', region: 2 });
    expect(calls).toEqual([['123', { region: 2 }]]);
    expect(calls[0][1]).toBeInstanceOf(RegionQuery);
    expect(res.headers['x-seen']).toBe('yes');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(passed).toEqual(['/api/v1/things/%DB%B1%DB%B2%DB%B3?region=%DB%B2']);
  });

  it('refuses invalid input with the validation pipe’s coded problem, and never calls the handler', async () => {
    const bad = await request(app).get('/api/v1/things/123?region=10').expect(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['region']);
    const unknown = await request(app).get('/api/v1/things/123?colour=red').expect(400);
    expect(unknown.body.errors.map((e: { field: string }) => e.field)).toEqual(['colour']);
    const long = await request(app).get('/api/v1/things/12345678901').expect(400);
    expect(long.body.errors).toEqual([expect.objectContaining({ field: 'code', code: 'maxLength' })]);
    expect(calls).toEqual([]);
  });

  it('answers a domain error of the handler as its problem', async () => {
    const res = await request(app).get('/api/v1/things/404').set('Accept-Language', 'en').expect(404);
    expect(res.body).toMatchObject({ code: 'THING_NOT_FOUND', detail: 'No such thing.', instance: '/api/v1/things/404' });
  });

  it('answers a string with the read’s content type', async () => {
    const res = await request(app).get('/api/v1/shapes').expect(200);
    expect(res.headers['content-type']).toBe('application/geo+json; charset=utf-8');
    expect(res.text).toBe('{"type":"FeatureCollection"}');
  });

  it('leaves to the router: other methods, a parameter of another shape or malformed, deeper paths, other prefixes', async () => {
    for (const [method, path] of [
      ['post', '/api/v1/things/123'],
      ['head', '/api/v1/things/123'],
      ['get', '/api/v1/things/1%E0%A4%A'],
      ['get', '/api/v1/things/search'],
      ['get', '/api/v1/things/123/zoning'],
      ['get', '/api/v2/things/123'],
      ['get', '/api/v1/shapes/x'],
    ] as const) {
      const res = await request(app)[method](path).expect(299);
      if (method !== 'head') expect(res.body.router).toBe(`${method.toUpperCase()} ${path}`);
    }
    expect(calls).toEqual([]);
    expect(passed).toEqual([]);
  });
});
