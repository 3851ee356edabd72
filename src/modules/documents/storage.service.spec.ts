import { createHash } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { DomainError } from '@app/common';
import type { ResolvedConfig } from '../../config/app-config';
import { StorageService } from './storage.service';

/** An S3 endpoint that records each request and answers with `status`. */
function fakeS3(status = 200) {
  const requests: Array<{ method: string; url: string; headers: IncomingHttpHeaders; body: Buffer }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(status, { etag: '"abc"', 'content-type': 'application/xml' });
      res.end(status === 200 ? '' : '<Error><Code>AccessDenied</Code><Message>denied</Message></Error>');
    });
  });
  return { requests, server, listen: () => new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port))) };
}

function storageOn(port: number): StorageService {
  return new StorageService({
    storage: { endPoint: '127.0.0.1', port, useSSL: false, accessKey: 'AKIA', secretKey: 'secret', region: 'us-east-1', bucket: 'docs' },
  } as unknown as ResolvedConfig);
}

describe('StorageService.put', () => {
  const body = Buffer.from('%PDF not really, just bytes to store '.repeat(100));
  const sha256 = createHash('sha256').update(body).digest('hex');

  it('sends the bytes once with a known length, signed with their SHA-256 (which the server checks), without another hash', async () => {
    const s3 = fakeS3();
    const storage = storageOn(await s3.listen());
    try {
      const stored = await storage.put('documents/2026/12/k1', body, 'image/jpeg', sha256);
      expect(stored).toEqual({ key: 'documents/2026/12/k1', size: body.length, contentType: 'image/jpeg', sha256 });
      expect(s3.requests).toHaveLength(1);
      const [put] = s3.requests;
      expect(put.method).toBe('PUT');
      expect(put.url).toBe('/docs/documents/2026/12/k1');
      expect(put.body.equals(body)).toBe(true);
      expect(put.headers['content-length']).toBe(String(body.length));
      expect(put.headers['content-type']).toBe('image/jpeg');
      expect(put.headers['x-amz-content-sha256']).toBe(sha256);
      expect(put.headers['x-amz-meta-sha256']).toBe(sha256);
      expect(put.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIA\/\d{8}\/us-east-1\/s3\/aws4_request, SignedHeaders=.*x-amz-content-sha256.*, Signature=[0-9a-f]{64}$/);
      expect(put.headers['content-md5']).toBeUndefined();
    } finally {
      s3.server.close();
    }
  });

  it('works the SHA-256 out when the caller has none', async () => {
    const s3 = fakeS3();
    const storage = storageOn(await s3.listen());
    try {
      const stored = await storage.put('k2', body, 'application/pdf');
      expect(stored.sha256).toBe(sha256);
      expect(s3.requests[0].headers['x-amz-content-sha256']).toBe(sha256);
    } finally {
      s3.server.close();
    }
  });

  it('answers STORAGE_UNAVAILABLE when the server refuses the object', async () => {
    const s3 = fakeS3(403);
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const storage = storageOn(await s3.listen());
    try {
      const err = await storage.put('k3', body, 'image/jpeg', sha256).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe('STORAGE_UNAVAILABLE');
      expect(logged).toHaveBeenCalledTimes(1);
    } finally {
      logged.mockRestore();
      s3.server.close();
    }
  });
});
