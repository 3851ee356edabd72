import { fromJalali, isValidNationalId, isValidPostalCode, normalizePersianText, generateNationalId } from '@app/iran';
import {
  DEMO_CITIZEN_SEED,
  DEMO_CITY_MAX_PARCELS,
  DEMO_CITY_MIN_PARCELS,
  DEMO_ZONE_RULES,
  DemoCity,
  GeoMultiPolygon,
  GeoPolygon,
  METERS_PER_DEGREE_LAT,
  METERS_PER_DEGREE_LON,
  ParcelRecord,
  Position,
  generateCity,
} from './demo-city';

/** [minLon, minLat, maxLon, maxLat] */
type Rect = [number, number, number, number];

function ringRect(ring: Position[]): Rect {
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
function polygonRect(g: GeoPolygon): Rect {
  return ringRect(g.coordinates[0]);
}
function multiRects(g: GeoMultiPolygon): Rect[] {
  return g.coordinates.map((poly) => ringRect(poly[0]));
}
function parcelRect(p: ParcelRecord): Rect {
  return ringRect(p.geometry.coordinates[0][0]);
}
/** Interiors intersect. */
function overlaps(a: Rect, b: Rect): boolean {
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}
function inside(inner: Rect, outer: Rect): boolean {
  return inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3];
}
function containsPoint(r: Rect, x: number, y: number): boolean {
  return x > r[0] && x < r[2] && y > r[1] && y < r[3];
}
function intersectionM2(a: Rect, b: Rect): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  return w > 0 && h > 0 ? w * METERS_PER_DEGREE_LON * h * METERS_PER_DEGREE_LAT : 0;
}
function areaM2(r: Rect): number {
  return (r[2] - r[0]) * METERS_PER_DEGREE_LON * (r[3] - r[1]) * METERS_PER_DEGREE_LAT;
}
/** A closed, counter-clockwise, axis-aligned rectangle with 7-decimal coordinates. */
function expectRectangleRing(ring: Position[]): void {
  expect(ring).toHaveLength(5);
  expect(ring[4]).toEqual(ring[0]);
  let twiceArea = 0;
  for (let i = 0; i < 4; i++) twiceArea += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  expect(twiceArea).toBeGreaterThan(0);
  for (const [x, y] of ring) {
    expect(Math.abs(x * 1e7 - Math.round(x * 1e7))).toBeLessThan(1e-4);
    expect(Math.abs(y * 1e7 - Math.round(y * 1e7))).toBeLessThan(1e-4);
  }
}

function allParcels(city: DemoCity, batchSize = 1000): ParcelRecord[] {
  const out: ParcelRecord[] = [];
  for (const batch of city.parcelBatches(batchSize)) out.push(...batch);
  return out;
}

const RENEWAL = /^\d+-\d+-\d+-\d+-0-0-0$/;

describe('generateCity: options', () => {
  it('rejects parcel counts and seeds it cannot honour', () => {
    expect(() => generateCity({ parcels: DEMO_CITY_MIN_PARCELS - 1 })).toThrow(RangeError);
    expect(() => generateCity({ parcels: DEMO_CITY_MAX_PARCELS + 1 })).toThrow(RangeError);
    expect(() => generateCity({ parcels: 1000.5 })).toThrow(RangeError);
    expect(() => generateCity({ parcels: 1000, seed: 1.5 })).toThrow(RangeError);
    const city = generateCity({ parcels: DEMO_CITY_MIN_PARCELS });
    expect(() => city.parcelBatches(0).next()).toThrow(RangeError);
    expect(() => city.parcelAt(DEMO_CITY_MIN_PARCELS)).toThrow(RangeError);
    expect(allParcels(city)).toHaveLength(DEMO_CITY_MIN_PARCELS);
  });
});

describe('generateCity: determinism', () => {
  const snapshot = (city: DemoCity, batchSize: number) =>
    JSON.stringify({
      options: city.options,
      layout: city.layout,
      regions: city.regions,
      districts: city.districts,
      zones: city.zones,
      streets: city.streets,
      places: city.places,
      wideningPlans: city.wideningPlans,
      samples: city.samples,
      blocks: [...city.blockBatches(batchSize)].flat(),
      parcels: allParcels(city, batchSize),
    });

  it('gives identical output for identical options, whatever the batch size', () => {
    const a = snapshot(generateCity({ parcels: 2000, seed: 7 }), 1000);
    const b = snapshot(generateCity({ parcels: 2000, seed: 7 }), 37);
    expect(b).toBe(a);
  });

  it('gives a different city for another seed, and seed 1 by default', () => {
    const a = generateCity({ parcels: 2000 });
    const b = generateCity({ parcels: 2000, seed: 1 });
    const c = generateCity({ parcels: 2000, seed: 2 });
    expect(JSON.stringify(b.parcelAt(100))).toBe(JSON.stringify(a.parcelAt(100)));
    expect(JSON.stringify(c.parcelAt(100))).not.toBe(JSON.stringify(a.parcelAt(100)));
  });

  it('parcelAt and parcelByRenewalCode agree with the stream', () => {
    const city = generateCity({ parcels: 2000, seed: 3 });
    const parcels = allParcels(city, 333);
    for (const i of [0, 1, 17, 999, 1998, 1999]) {
      expect(city.parcelAt(i)).toEqual(parcels[i]);
      expect(city.parcelByRenewalCode(parcels[i].renewalCode)).toEqual(parcels[i]);
    }
    expect(city.parcelByRenewalCode('9-1-1-1-0-0-0')).toBeNull();
    expect(city.parcelByRenewalCode('1-1-1-1-1-0-0')).toBeNull();
    expect(city.parcelByRenewalCode('1-1-99999-1-0-0-0')).toBeNull();
  });
});

describe.each([2_000, 25_000])('generateCity({ parcels: %i })', (count) => {
  let city: DemoCity;
  let parcels: ParcelRecord[];
  beforeAll(() => {
    city = generateCity({ parcels: count });
    parcels = allParcels(city, 1000);
  });

  it('honours the requested count exactly', () => {
    expect(parcels).toHaveLength(count);
    expect(city.parcelCount).toBe(count);
    const blocks = [...city.blockBatches(100)].flat();
    expect(blocks).toHaveLength(city.blockCount);
    expect(blocks.reduce((s, b) => s + b.parcelCount, 0)).toBe(count);
  });

  it('numbers parcels with unique renewal codes that match their parts', () => {
    const codes = new Set<string>();
    const plates = new Set<string>();
    for (const p of parcels) {
      expect(p.renewalCode).toMatch(RENEWAL);
      expect(p.renewalCode).toBe(`${p.region}-${p.district}-${p.block}-${p.parcel}-0-0-0`);
      expect([p.building, p.apartment, p.shop]).toEqual([0, 0, 0]);
      expect([1, 2, 3]).toContain(p.region);
      codes.add(p.renewalCode);
      plates.add(`${p.plate.main}/${p.plate.sub}`);
    }
    expect(codes.size).toBe(count);
    expect(plates.size).toBe(count);
    // every region has parcels
    expect(new Set(parcels.map((p) => p.region))).toEqual(new Set([1, 2, 3]));
  });

  it('gives owners valid national IDs and shares that sum to 100', () => {
    const demoId = generateNationalId(DEMO_CITIZEN_SEED);
    const demoOwned: string[] = [];
    const nameById = new Map<string, string>();
    for (const p of parcels) {
      expect(p.owners.length).toBeGreaterThanOrEqual(1);
      expect(p.owners.reduce((s, o) => s + o.share, 0)).toBe(100);
      expect(new Set(p.owners.map((o) => o.nationalId)).size).toBe(p.owners.length);
      for (const o of p.owners) {
        expect(isValidNationalId(o.nationalId)).toBe(true);
        expect(o.nationalId).toMatch(/^\d{10}$/);
        expect(o.name).toBe(normalizePersianText(o.name));
        // one person, one name
        expect(nameById.get(o.nationalId) ?? o.name).toBe(o.name);
        nameById.set(o.nationalId, o.name);
      }
      if (p.owners.some((o) => o.nationalId === demoId)) {
        expect(p.owners).toEqual([{ nationalId: demoId, name: city.samples.demoCitizenName, share: 100 }]);
        demoOwned.push(p.renewalCode);
      }
    }
    expect(city.samples.demoCitizenNationalId).toBe(demoId);
    expect(demoOwned.sort()).toEqual([...city.samples.ownedByDemoCitizen].sort());
    // some people own several parcels, some parcels have several owners
    expect(nameById.size).toBeLessThan(parcels.reduce((s, p) => s + p.owners.length, 0));
    expect(parcels.some((p) => p.owners.length > 1)).toBe(true);
  });

  it('gives unique valid postal codes and Persian addresses', () => {
    const postal = new Set<string>();
    for (const p of parcels) {
      expect(isValidPostalCode(p.postalCode)).toBe(true);
      expect(p.postalCode).toMatch(/^\d{10}$/);
      postal.add(p.postalCode);
      expect(p.address).toBe(normalizePersianText(p.address));
      expect(p.address.startsWith(`قزوین، منطقه ${p.region}، `)).toBe(true);
      expect(p.address).toMatch(/، پلاک \d+$/);
    }
    expect(postal.size).toBe(count);
    const addresses = new Set(parcels.map((p) => p.address));
    expect(addresses.size).toBe(count);
  });

  it('keeps certificate histories plausible, with unique request numbers', () => {
    const numbers = new Set<string>();
    let total = 0;
    let none = 0;
    for (const p of parcels) {
      if (p.certificates.length === 0) none++;
      let prev = '';
      for (const c of p.certificates) {
        total++;
        expect(['apartment_completion', 'transfer', 'inquiry', 'building_permit']).toContain(c.kind);
        expect(c.requestNumber).toMatch(/^\d{10}$/);
        numbers.add(c.requestNumber);
        expect(c.jalaliYear).toBeGreaterThanOrEqual(1340);
        expect(c.jalaliYear).toBeLessThanOrEqual(1403);
        expect(c.jalaliYear).toBeGreaterThanOrEqual(Math.min(p.constructionYear - 1, 1403));
        const [jy, jm, jd] = c.jalaliDate.split('/').map(Number);
        expect(jy).toBe(c.jalaliYear);
        const g = fromJalali(jy, jm, jd);
        expect(c.issueDate).toBe(`${g.gy}-${String(g.gm).padStart(2, '0')}-${String(g.gd).padStart(2, '0')}`);
        expect(c.issueDate >= prev).toBe(true);
        prev = c.issueDate;
      }
    }
    expect(numbers.size).toBe(total);
    expect(none / count).toBeGreaterThan(0.07);
    expect(none / count).toBeLessThan(0.13);
    expect(parcels.some((p) => p.certificates.length >= 3)).toBe(true);
  });

  it('keeps building attributes in range and consistent with the zone', () => {
    for (const p of parcels) {
      expect(p.constructionYear).toBeGreaterThanOrEqual(1340);
      expect(p.constructionYear).toBeLessThanOrEqual(1403);
      expect(['steel', 'concrete', 'masonry', 'other']).toContain(p.structureType);
      const rules = DEMO_ZONE_RULES[p.zoneCode];
      expect(rules.allowedUses).toContain(p.use);
      expect(p.floors).toBeLessThanOrEqual(rules.maxFloors);
      expect(p.landArea).toBeGreaterThanOrEqual(140);
      expect(p.landArea).toBeLessThanOrEqual(620);
      expect(p.landArea).toBeCloseTo(p.frontage * (areaM2(parcelRect(p)) / p.frontage / p.frontage) * p.frontage, -1);
      if (p.use === 'green') expect([p.floors, p.units, p.buildingArea]).toEqual([0, 0, 0]);
      else {
        expect(p.floors).toBeGreaterThanOrEqual(1);
        expect(p.units).toBeGreaterThanOrEqual(1);
        expect(p.buildingArea / p.floors).toBeLessThanOrEqual((p.landArea * rules.maxOccupancyPercent) / 100 + 1);
      }
    }
    const uses = new Set(parcels.map((p) => p.use));
    for (const u of ['residential', 'commercial', 'office', 'mixed', 'educational', 'health', 'green']) expect(uses).toContain(u);
  });

  it('draws parcels as rectangles of frontage × depth, inside their block, district and region', () => {
    const blocks = new Map([...city.blockBatches(500)].flat().map((b) => [b.code, polygonRect(b.geometry)]));
    const districts = new Map(city.districts.map((d) => [d.code, polygonRect(d.geometry)]));
    const regions = new Map(city.regions.map((r) => [r.region, polygonRect(r.geometry)]));
    for (const p of parcels) {
      expect(p.geometry.type).toBe('MultiPolygon');
      expect(p.geometry.coordinates).toHaveLength(1);
      const ring = p.geometry.coordinates[0][0];
      expectRectangleRing(ring);
      const r = parcelRect(p);
      // the metre sizes survive the conversion to degrees (7 decimals ≈ 1 cm)
      const w = (r[2] - r[0]) * METERS_PER_DEGREE_LON;
      const h = (r[3] - r[1]) * METERS_PER_DEGREE_LAT;
      expect(Math.abs(w - p.frontage)).toBeLessThan(0.03);
      expect(Math.abs(w * h - p.landArea) / p.landArea).toBeLessThan(0.002);
      const block = blocks.get(`${p.region}-${p.district}-${p.block}`);
      expect(block).toBeDefined();
      expect(inside(r, block as Rect)).toBe(true);
      expect(inside(r, districts.get(`${p.region}-${p.district}`) as Rect)).toBe(true);
      expect(inside(r, regions.get(p.region) as Rect)).toBe(true);
    }
  });

  it('never overlaps two parcels, a parcel and a street, or two regions/districts', () => {
    const rects = parcels.map(parcelRect).sort((a, b) => a[0] - b[0]);
    let pairs = 0;
    for (let i = 0; i < rects.length; i++) {
      for (let j = i + 1; j < rects.length && rects[j][0] < rects[i][2]; j++) {
        pairs++;
        if (overlaps(rects[i], rects[j])) throw new Error(`parcels overlap: ${rects[i]} / ${rects[j]}`);
      }
    }
    expect(pairs).toBeGreaterThan(0);
    const tol = 2e-7;
    const streetRects: Rect[] = city.streets.map((s) => {
      const [[x0, y0], [x1, y1]] = s.geometry.coordinates;
      const hx = s.orientation === 'ns' ? s.widthMeters / 2 / METERS_PER_DEGREE_LON - tol : 0;
      const hy = s.orientation === 'ew' ? s.widthMeters / 2 / METERS_PER_DEGREE_LAT - tol : 0;
      return [Math.min(x0, x1) - hx, Math.min(y0, y1) - hy, Math.max(x0, x1) + hx, Math.max(y0, y1) + hy];
    });
    for (const p of parcels) {
      const r = parcelRect(p);
      for (const s of streetRects) if (overlaps(r, s)) throw new Error(`parcel ${p.renewalCode} overlaps a street`);
    }
    for (const layer of [city.regions.map((x) => polygonRect(x.geometry)), city.districts.map((x) => polygonRect(x.geometry))]) {
      for (let i = 0; i < layer.length; i++) for (let j = i + 1; j < layer.length; j++) expect(overlaps(layer[i], layer[j])).toBe(false);
      const total = layer.reduce((s, r) => s + areaM2(r), 0);
      const bbox = city.layout.bbox;
      expect(total / areaM2(bbox)).toBeCloseTo(1, 9);
    }
  });

  it('takes the access road width from the street the parcel faces', () => {
    const ew = city.streets.filter((s) => s.orientation === 'ew');
    for (const p of parcels.filter((_, i) => i % 7 === 0)) {
      const r = parcelRect(p);
      const cx = (r[0] + r[2]) / 2;
      const facing = ew.filter((s) => {
        const [[x0, y], [x1]] = s.geometry.coordinates;
        if (cx < x0 || cx > x1) return false;
        const half = s.widthMeters / 2 / METERS_PER_DEGREE_LAT;
        return Math.abs(y - half - r[3]) < 3e-7 || Math.abs(y + half - r[1]) < 3e-7;
      });
      expect(facing).toHaveLength(1);
      expect(p.accessRoadWidth).toBe(facing[0].widthMeters);
      expect(p.address).toContain(facing[0].kind === 'main' ? facing[0].name : facing[0].name);
    }
  });

  it('puts every parcel in the zone that contains its centroid; zones partition the city', () => {
    expect(city.zones.map((z) => z.code)).toEqual(expect.arrayContaining(['R-1', 'C-1', 'M', 'G']));
    const zoneRects = city.zones.flatMap((z) => multiRects(z.geometry).map((r) => ({ code: z.code, r })));
    for (const z of city.zones) {
      for (const poly of z.geometry.coordinates) expectRectangleRing(poly[0]);
      expect(z.planName).toBe('طرح تفصیلی شهر قزوین');
      expect(z.approvalDate).toBe('1396/05/10');
      expect(z.bands.length).toBeGreaterThan(0);
    }
    for (let i = 0; i < zoneRects.length; i++) {
      for (let j = i + 1; j < zoneRects.length; j++) expect(overlaps(zoneRects[i].r, zoneRects[j].r)).toBe(false);
    }
    const total = zoneRects.reduce((s, z) => s + areaM2(z.r), 0);
    expect(total / areaM2(city.layout.bbox)).toBeCloseTo(1, 9);
    for (const p of parcels) {
      const r = parcelRect(p);
      const cx = (r[0] + r[2]) / 2;
      const cy = (r[1] + r[3]) / 2;
      const hits = zoneRects.filter((z) => containsPoint(z.r, cx, cy));
      expect(hits).toHaveLength(1);
      expect(hits[0].code).toBe(p.zoneCode);
    }
  });

  it('cuts the widening sample by exactly frontage × depth', () => {
    const s = city.samples.inWideningPlan;
    const plan = city.wideningPlans.find((w) => w.id === s.planId);
    expect(plan).toBeDefined();
    const p = city.parcelByRenewalCode(s.renewalCode) as ParcelRecord;
    expect(p.region).toBe(s.region);
    expect(s.frontage).toBe(p.frontage);
    expect(s.parcelAreaM2).toBe(p.landArea);
    expect(s.expectedAffectedAreaM2).toBeCloseTo(p.frontage * (plan?.depthMeters ?? 0), 9);
    const cut = multiRects(plan?.geometry as GeoMultiPolygon).reduce((sum, r) => sum + intersectionM2(parcelRect(p), r), 0);
    expect(Math.abs(cut - s.expectedAffectedAreaM2) / s.expectedAffectedAreaM2).toBeLessThan(0.01);
    const demo = city.samples.demoCitizen.inWideningPlan;
    expect(demo.expectedAffectedAreaM2).toBeCloseTo(demo.frontage * demo.depthMeters, 9);
  });

  it('has widening plans that cut whole frontages of the parcels along their street, and nothing else', () => {
    expect(city.wideningPlans.length).toBeGreaterThanOrEqual(3);
    const planRects = city.wideningPlans.flatMap((w) => multiRects(w.geometry).map((r) => ({ w, r })));
    for (let i = 0; i < planRects.length; i++) {
      for (let j = i + 1; j < planRects.length; j++) expect(overlaps(planRects[i].r, planRects[j].r)).toBe(false);
    }
    let cutParcels = 0;
    for (const p of parcels) {
      const r = parcelRect(p);
      for (const { w, r: pr } of planRects) {
        const a = intersectionM2(r, pr);
        if (a === 0) continue;
        cutParcels++;
        expect(Math.abs(a - p.frontage * w.depthMeters) / (p.frontage * w.depthMeters)).toBeLessThan(0.01);
        expect(p.address).toContain(w.streetName.split('، ')[0]);
        expect(w.region).toBe(p.region);
      }
    }
    expect(cutParcels).toBeGreaterThanOrEqual(city.wideningPlans.length * 2);
  });

  it('offers samples an integrator can try', () => {
    const { samples } = city;
    const noCert = city.parcelByRenewalCode(samples.noCertificates.renewalCode) as ParcelRecord;
    expect(noCert.certificates).toEqual([]);
    expect(noCert.region).toBe(samples.noCertificates.region);
    const eligible = city.parcelByRenewalCode(samples.eligible.renewalCode) as ParcelRecord;
    const last = eligible.certificates[eligible.certificates.length - 1];
    expect(['apartment_completion', 'transfer']).toContain(last.kind);
    expect(last.requestNumber).toBe(samples.eligible.lastRequestNumber);
    expect(samples.ownedByDemoCitizen).toHaveLength(3);
    expect(new Set([...samples.ownedByDemoCitizen, samples.noCertificates.renewalCode, samples.eligible.renewalCode, samples.inWideningPlan.renewalCode]).size).toBe(6);
    const [de, dn, dw] = samples.ownedByDemoCitizen.map((c) => city.parcelByRenewalCode(c) as ParcelRecord);
    expect(de.certificates.some((c) => c.kind === 'apartment_completion' || c.kind === 'transfer')).toBe(true);
    expect(de.certificates[de.certificates.length - 1].requestNumber).toBe(samples.demoCitizen.eligible.lastRequestNumber);
    expect(dn.certificates).toEqual([]);
    expect(dw.renewalCode).toBe(samples.demoCitizen.inWideningPlan.renewalCode);
    for (const p of [de, dn, dw]) expect(p.owners).toEqual([{ nationalId: samples.demoCitizenNationalId, name: samples.demoCitizenName, share: 100 }]);
  });

  it('has city-viewer layers: regions, districts, main streets and public places', () => {
    expect(city.regions.map((r) => r.region)).toEqual([1, 2, 3]);
    expect(city.districts.length).toBeGreaterThanOrEqual(3);
    for (const r of [...city.regions, ...city.districts]) expectRectangleRing(r.geometry.coordinates[0]);
    const mains = city.streets.filter((s) => s.kind === 'main');
    expect(mains.length).toBeGreaterThanOrEqual(6);
    expect(new Set(city.streets.map((s) => s.id)).size).toBe(city.streets.length);
    const bbox = city.layout.bbox;
    for (const s of city.streets) {
      expect(s.name.length).toBeGreaterThan(3);
      expect(s.name).toBe(normalizePersianText(s.name));
      expect(s.widthMeters).toBeGreaterThanOrEqual(6);
      expect(s.geometry.type).toBe('LineString');
      for (const [x, y] of s.geometry.coordinates) expect(containsPoint([bbox[0] - 1e-9, bbox[1] - 1e-9, bbox[2] + 1e-9, bbox[3] + 1e-9], x, y)).toBe(true);
    }
    expect(city.places).toHaveLength(27);
    const regions = new Map(city.regions.map((r) => [r.region, polygonRect(r.geometry)]));
    const forced: Record<string, string | undefined> = { school: 'educational', park: 'green', hospital: 'health' };
    for (const place of city.places) {
      expect(['school', 'park', 'mosque', 'hospital', 'fire_station']).toContain(place.kind);
      expect(place.name).toBe(normalizePersianText(place.name));
      const [x, y] = place.geometry.coordinates;
      expect(containsPoint(regions.get(place.region) as Rect, x, y)).toBe(true);
      const p = city.parcelByRenewalCode(place.renewalCode) as ParcelRecord;
      expect(containsPoint(parcelRect(p), x, y)).toBe(true);
      if (forced[place.kind]) expect(p.use).toBe(forced[place.kind]);
    }
    for (const g of [1, 2, 3]) expect(city.places.filter((p) => p.region === g)).toHaveLength(9);
    // the city is centred on Qazvin
    expect((bbox[0] + bbox[2]) / 2).toBeCloseTo(50, 6);
    expect((bbox[1] + bbox[3]) / 2).toBeCloseTo(36.27, 6);
  });
});

describe('generateCity({ parcels: 1_000_000 })', () => {
  it('streams a million parcels in bounded batches in well under a minute', () => {
    const batchSize = 1000;
    const started = Date.now();
    const city = generateCity({ parcels: 1_000_000, seed: 11 });
    global.gc?.();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    let total = 0;
    let batches = 0;
    let first: ParcelRecord | undefined;
    let last: ParcelRecord | undefined;
    let tooBig = 0;
    for (const batch of city.parcelBatches(batchSize)) {
      if (batch.length > batchSize || batch.length === 0) tooBig++;
      batches++;
      total += batch.length;
      first ??= batch[0];
      last = batch[batch.length - 1];
      if (batches % 25 === 0) {
        peak = Math.max(peak, process.memoryUsage().heapUsed);
        const p = batch[batch.length >> 1];
        expect(p.renewalCode).toMatch(RENEWAL);
        expect(isValidNationalId(p.owners[0].nationalId)).toBe(true);
        expect(isValidPostalCode(p.postalCode)).toBe(true);
      }
    }
    const elapsed = Date.now() - started;
    expect(tooBig).toBe(0);
    expect(total).toBe(1_000_000);
    expect(batches).toBe(1_000);
    expect(elapsed).toBeLessThan(60_000);
    // one batch at a time: far below what a million parcels (≈ 2 GB) would need
    expect(peak - baseline).toBeLessThan(400 * 1024 * 1024);
    expect(first).toEqual(city.parcelAt(0));
    expect(last).toEqual(city.parcelAt(999_999));
    expect(city.parcelByRenewalCode((last as ParcelRecord).renewalCode)).toEqual(last);
    expect(city.layout.columns % 3).toBe(0);
    expect(city.districts.length).toBeGreaterThan(30);
  }, 180_000);
});
