/* s3rver in its own process for the benchmarks (standing in for MinIO on its own machine);
 * reports its port to the parent over IPC. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedS3 } from '../src/runtime/embedded-s3';

void (async () => {
  const s3 = await startEmbeddedS3({ directory: mkdtempSync(join(tmpdir(), 'bench-s3-')), port: 0, bucket: 'qazvin-documents' });
  process.send?.({ port: s3.port, accessKey: s3.accessKey, secretKey: s3.secretKey });
  process.on('SIGINT', () => void s3.stop().then(() => process.exit(0)));
})();
