import sharp from 'sharp';

/**
 * A ~300 KB JPEG like a phone photo of a deed page or an ID card (1280×960, photo noise over
 * text-like strokes), deterministic per seed.
 */
export async function benchDocument(seed: number, targetBytes = 300 * 1024, size = { width: 1280, height: 960 }): Promise<Buffer> {
  const w = size.width;
  const h = size.height;
  const raw = Buffer.alloc(w * h * 3);
  let s = (seed * 2654435761) >>> 0;
  const rnd = () => (s = (s * 1664525 + 1013904223) >>> 0) >>> 24;
  for (let y = 0; y < h; y++) {
    const line = y % 32 < 14 && y > h / 16 && y < h - h / 16;
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const ink = line && x > w / 20 && x < w - w / 20 && rnd() < 90;
      const base = ink ? 40 : 228 - ((x + y) >> 5);
      raw[i] = base + (rnd() >> 4);
      raw[i + 1] = base + (rnd() >> 4);
      raw[i + 2] = base - 6 + (rnd() >> 4);
    }
  }
  // the highest quality that stays within the target size
  let best: Buffer | null = null;
  for (let q = 95; q >= 40; q -= 3) {
    const out = await sharp(raw, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: q }).toBuffer();
    if (out.length <= targetBytes) {
      best = out;
      break;
    }
  }
  if (!best) throw new Error('could not make a bench document within the target size');
  return best;
}
