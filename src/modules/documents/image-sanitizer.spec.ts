import sharp from 'sharp';
import { safeFileName, sanitizeImage, sniffImageFormat } from './image-sanitizer';

const opts = { maxBytes: 300 * 1024, maxSidePx: 2000 };

async function noisyJpeg(width: number, height: number, withGps = false): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
  let img = sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 });
  if (withGps) img = img.withExif({ IFD0: { Make: 'SpyCam', Copyright: 'secret-owner' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '36/1 16/1 12/1' } });
  return img.toBuffer();
}

describe('image intake', () => {
  it('sniffs PNG and JPEG by magic bytes only', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } }).png().toBuffer();
    expect(sniffImageFormat(png)).toBe('png');
    expect(sniffImageFormat(await noisyJpeg(8, 8))).toBe('jpeg');
    expect(sniffImageFormat(Buffer.from('%PDF-1.7\n'))).toBeNull();
    expect(sniffImageFormat(Buffer.alloc(0))).toBeNull();
  });

  it('refuses a PDF, an empty file and a corrupt JPEG with coded errors', async () => {
    await expect(sanitizeImage(Buffer.from('%PDF-1.7\n1 0 obj'), opts)).rejects.toMatchObject({ code: 'DOCUMENT_TYPE_NOT_ALLOWED' });
    await expect(sanitizeImage(Buffer.alloc(0), opts)).rejects.toMatchObject({ code: 'DOCUMENT_EMPTY' });
    await expect(sanitizeImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), opts)).rejects.toMatchObject({ code: 'DOCUMENT_UNREADABLE' });
  });

  it('strips EXIF/GPS and fits a big noisy scan into 300 KB', async () => {
    const input = await noisyJpeg(2400, 1800, true);
    expect((await sharp(input).metadata()).exif).toBeDefined();
    const out = await sanitizeImage(input, opts);
    expect(out.bytes.length).toBeLessThanOrEqual(300 * 1024);
    const meta = await sharp(out.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.format).toBe('jpeg');
    expect(out.bytes.includes(Buffer.from('SpyCam'))).toBe(false);
    expect(Math.max(out.width, out.height)).toBeLessThanOrEqual(2000);
  });

  it('drops anything appended to a PNG', async () => {
    const png = await sharp({ create: { width: 20, height: 20, channels: 4, background: '#08f8' } }).png().toBuffer();
    const polyglot = Buffer.concat([png, Buffer.from('<script>alert(1)</script>')]);
    const out = await sanitizeImage(polyglot, opts);
    expect(out.sourceFormat).toBe('png');
    expect(out.bytes.includes(Buffer.from('<script>'))).toBe(false);
  });

  it('keeps only a safe base name', () => {
    expect(safeFileName('../../etc/passwd.jpg')).toBe('passwd.jpg');
    expect(safeFileName('..\\..\\boot.ini')).toBe('boot.ini');
    expect(safeFileName('..')).toBeNull();
    expect(safeFileName('a\u0000b.png')).toBe('ab.png');
  });
});
