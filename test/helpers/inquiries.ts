import sharp from 'sharp';
import { rectWkt } from './geo';
import type { TestApp } from './test-app';

let parcelSeq = 0;

/** Inserts a property of region `region` owned by `owners`, with the given certificate history. */
export async function insertInquiryProperty(
  t: TestApp,
  input: {
    region: number;
    owners: string[];
    certificates?: Array<{ kind: string; requestNumber: string; year: number; date: string }>;
  },
): Promise<{ id: string; renewalCode: string }> {
  const n = ++parcelSeq + Math.floor(Math.random() * 1000) * 1000;
  const block = Math.floor(n / 1000) + 1;
  const parcel = (n % 1000) + 1;
  const renewalCode = `${input.region}-7-${block}-${parcel}-0-0-0`;
  const x = (n % 200) * 30;
  const [row] = await t.sql<{ id: string }>(
    `insert into property (id, renewal_code, region, district, block, parcel, building, apartment, shop, address, land_area,
                           building_area, use, floors, units, structure_type, geom, created_at, updated_at)
     values (gen_random_uuid(), $1, $2, 7, $3, $4, 0, 0, 0, 'قزوین، خیابان نمونه', 300, 450, 'residential', 3, 3, 'concrete',
             st_geomfromtext($5, 4326), now(), now()) returning id`,
    [renewalCode, input.region, block, parcel, rectWkt(x, 5000, x + 20, 5020)],
  );
  for (const nid of input.owners) {
    await t.sql(
      `insert into property_owner (id, property_id, national_id, full_name, share_percent, created_at, updated_at)
       values (gen_random_uuid(), $1, $2, 'مالک نمونه', $3, now(), now())`,
      [row.id, nid, 100 / input.owners.length],
    );
  }
  for (const c of input.certificates ?? []) {
    await t.sql(
      `insert into property_certificate (id, property_id, kind, request_number, jalali_year, issue_date, created_at, updated_at)
       values (gen_random_uuid(), $1, $2, $3, $4, $5, now(), now())`,
      [row.id, c.kind, c.requestNumber, c.year, c.date],
    );
  }
  return { id: row.id, renewalCode };
}

/** A noisy JPEG scan of about `kb` kilobytes (noise does not compress), optionally with GPS EXIF. */
export async function scanJpeg(width = 900, height = 700, options: { gps?: boolean; quality?: number } = {}): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  let s = (width * 31 + height) >>> 0;
  for (let i = 0; i < raw.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    raw[i] = 200 + (s >>> 27);
  }
  // printed lines, so the page passes the legibility (contrast) floor like a real scan
  for (let y = 30; y < height - 30; y += 24) {
    for (let dy = 0; dy < 3; dy++) raw.fill(0x30, ((y + dy) * width + 40) * 3, ((y + dy) * width + width - 40) * 3);
  }
  let img = sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: options.quality ?? 80 });
  if (options.gps) {
    img = img.withExif({
      IFD0: { Make: 'SpyPhone', Model: 'X1', Copyright: 'owner-secret' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '36/1 16/1 12/1', GPSLongitudeRef: 'E', GPSLongitude: '50/1 0/1 30/1' },
    });
  }
  return img.toBuffer();
}

/**
 * A legible PNG scan (printed lines on paper) that meets every kind's floor (page 900×650 by
 * default); small in bytes, since the lines compress.
 */
export async function scanPng(width = 1000, height = 720): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3, 0xf4);
  for (let y = 40; y < height - 40; y += 24) {
    for (let dy = 0; dy < 3; dy++) raw.fill(0x30, ((y + dy) * width + 60) * 3, ((y + dy) * width + width - 60) * 3);
  }
  return sharp(raw, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/** The 64×48, 808-byte kind of "national card" a legibility floor must refuse. */
export async function tinyPng(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: '#e0e0e0' } }).png().toBuffer();
}
