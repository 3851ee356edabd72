import { Socket } from 'node:net';

export interface ClamavOptions {
  host: string;
  port: number;
  timeoutMs: number;
}

export type ScanResult = { clean: true } | { clean: false; signature: string };

/** Chunk size for INSTREAM (clamd's StreamMaxLength applies to the total). */
const CHUNK = 64 * 1024;

/**
 * A minimal clamd client: `zINSTREAM`, the bytes as <uint32 BE length><data> chunks, a
 * zero-length chunk, then one reply `stream: OK` or `stream: <signature> FOUND`. Throws on
 * connection errors, timeouts and `... ERROR` replies (the caller turns them into a 503).
 */
export function clamavScan(bytes: Buffer, options: ClamavOptions): Promise<ScanResult> {
  return new Promise<ScanResult>((resolve, reject) => {
    const socket = new Socket();
    const replies: Buffer[] = [];
    let settled = false;
    const finish = (err: Error | null, result?: ScanResult) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if (err) reject(err);
      else resolve(result!);
    };
    socket.setTimeout(options.timeoutMs, () => finish(new Error(`clamd did not answer within ${options.timeoutMs} ms`)));
    socket.on('error', (err) => finish(err));
    socket.on('data', (chunk) => {
      replies.push(chunk);
      if (chunk.includes(0)) socket.end();
    });
    socket.on('close', () => {
      if (settled) return;
      const reply = Buffer.concat(replies).toString('utf8').replace(/\0/g, '').trim();
      if (!reply) return finish(new Error('clamd closed the connection without a reply'));
      const found = /^stream: (.+) FOUND$/.exec(reply);
      if (found) return finish(null, { clean: false, signature: found[1] });
      if (/^stream: OK$/.test(reply)) return finish(null, { clean: true });
      finish(new Error(`clamd: ${reply}`));
    });
    socket.connect(options.port, options.host, () => {
      socket.write('zINSTREAM\0');
      for (let offset = 0; offset < bytes.length; offset += CHUNK) {
        const part = bytes.subarray(offset, offset + CHUNK);
        const size = Buffer.alloc(4);
        size.writeUInt32BE(part.length, 0);
        socket.write(size);
        socket.write(part);
      }
      socket.write(Buffer.alloc(4));
    });
  });
}
