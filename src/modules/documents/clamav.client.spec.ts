import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { clamavScan } from './clamav.client';

const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

/** A tiny fake clamd: parses zINSTREAM chunks and answers like clamd does. */
function fakeClamd(behaviour: 'normal' | 'silent' | 'error' = 'normal'): Promise<{ server: Server; port: number; received: Buffer[] }> {
  const received: Buffer[] = [];
  const server = createServer((socket: Socket) => {
    let buf = Buffer.alloc(0);
    let commandSeen = false;
    const body: Buffer[] = [];
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (!commandSeen) {
        const nul = buf.indexOf(0);
        if (nul < 0) return;
        if (buf.subarray(0, nul).toString() !== 'zINSTREAM') return socket.end('UNKNOWN COMMAND\0');
        commandSeen = true;
        buf = buf.subarray(nul + 1);
      }
      while (buf.length >= 4) {
        const len = buf.readUInt32BE(0);
        if (len === 0) {
          const all = Buffer.concat(body);
          received.push(all);
          if (behaviour === 'silent') return;
          if (behaviour === 'error') return socket.end('INSTREAM size limit exceeded. ERROR\0');
          return socket.end(all.includes(Buffer.from('EICAR-STANDARD-ANTIVIRUS-TEST-FILE')) ? 'stream: Eicar-Test-Signature FOUND\0' : 'stream: OK\0');
        }
        if (buf.length < 4 + len) return;
        body.push(buf.subarray(4, 4 + len));
        buf = buf.subarray(4 + len);
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, received })));
}

describe('clamd INSTREAM client', () => {
  it('reports a clean stream and sends the bytes in length-prefixed chunks', async () => {
    const { server, port, received } = await fakeClamd();
    try {
      const bytes = Buffer.alloc(200_000, 7); // several 64 KiB chunks
      await expect(clamavScan(bytes, { host: '127.0.0.1', port, timeoutMs: 2000 })).resolves.toEqual({ clean: true });
      expect(received[0].equals(bytes)).toBe(true);
    } finally {
      server.close();
    }
  });

  it('reports the signature of an infected stream (EICAR)', async () => {
    const { server, port } = await fakeClamd();
    try {
      await expect(clamavScan(Buffer.from(EICAR), { host: '127.0.0.1', port, timeoutMs: 2000 })).resolves.toEqual({
        clean: false,
        signature: 'Eicar-Test-Signature',
      });
    } finally {
      server.close();
    }
  });

  it('fails on an ERROR reply, a timeout and a refused connection', async () => {
    const err = await fakeClamd('error');
    const silent = await fakeClamd('silent');
    try {
      await expect(clamavScan(Buffer.from('x'), { host: '127.0.0.1', port: err.port, timeoutMs: 2000 })).rejects.toThrow(/ERROR/);
      await expect(clamavScan(Buffer.from('x'), { host: '127.0.0.1', port: silent.port, timeoutMs: 200 })).rejects.toThrow(/did not answer/);
    } finally {
      err.server.close();
      silent.server.close();
    }
    const closed = await fakeClamd();
    closed.server.close();
    await expect(clamavScan(Buffer.from('x'), { host: '127.0.0.1', port: closed.port, timeoutMs: 500 })).rejects.toThrow();
  });
});
