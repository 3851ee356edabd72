import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';

/**
 * The embedded S3-compatible server of the default mode (s3rver), data on disk. It does
 * not check signatures and has no multipart upload: the storage service always sends
 * objects with a known size, which works on it and on MinIO alike.
 */
export interface EmbeddedS3 {
  port: number;
  accessKey: string;
  secretKey: string;
  stop(): Promise<void>;
}

export async function startEmbeddedS3(options: {
  directory: string;
  port: number;
  bucket: string;
  logger?: Logger;
}): Promise<EmbeddedS3> {
  const logger = options.logger ?? new Logger('EmbeddedS3');
  mkdirSync(options.directory, { recursive: true });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver');
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    silent: true,
    directory: options.directory,
    configureBuckets: [{ name: options.bucket, configs: [] }],
  });
  const address = (await server.run()) as AddressInfo;
  logger.log(`embedded S3 (s3rver) ready on 127.0.0.1:${address.port}, bucket "${options.bucket}"`);
  return {
    port: address.port,
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    stop: () => server.close(),
  };
}
