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
/** A closed, counter-clockwise rectangle with 7-decimal coordinates. */
function expectRectangleRing(ring: Position[]): void {
  expect(rectangleRingProblem(ring)).toBeNull();
}

function allParcels(city: DemoCity, batchSize = 1000): ParcelRecord[] {
  const out: ParcelRecord[] = [];
  for (const batch of city.parcelBatches(batchSize)) out.push(...batch);
  return out;
}

const RENEWAL = /^\d+-\d+-\d+-\d+-0-0-0$/;

/**
 * Collects failed per-item checks: one `expect` per item is far too slow for 25,000
 * parcels, so each test asserts once that nothing failed (and shows the first failures).
 */
class Problems {
  readonly list: string[] = [];
  check(ok: boolean, what: () => string): void {
    if (!ok && this.list.length < 20) this.list.push(what());
  }
  assertNone(): void {
    expect(this.list).toEqual([]);
  }
}

function rectangleRingProblem(ring: Position[]): string | null {
  if (ring.length !== 5) return 'ring must have 5 positions';
  if (ring[4][0] !== ring[0][0] || ring[4][1] !== ring[0][1]) return 'ring not closed';
  let twiceArea = 0;
  for (let i = 0; i < 4; i++) twiceArea += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  if (!(twiceArea > 0)) return 'ring not counter-clockwise';
  for (const [x, y] of ring) {
    if (Math.abs(x * 1e7 - Math.round(x * 1e7)) > 1e-4 || Math.abs(y * 1e7 - Math.round(y * 1e7)) > 1e-4) return `not 7 decimals: ${x},${y}`;
  }
  return null;
}

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
    const bad = new Problems();
    const codes = new Set<string>();
    const plates = new Set<string>();
    for (const p of parcels) {
      bad.check(RENEWAL.test(p.renewalCode), () => `form: ${p.renewalCode}`);
      bad.check(p.renewalCode === `${p.region}-${p.district}-${p.block}-${p.parcel}-0-0-0`, () => `parts: ${p.renewalCode}`);
      bad.check(p.building === 0 && p.apartment === 0 && p.shop === 0, () => `units: ${p.renewalCode}`);
      bad.check(p.region >= 1 && p.region <= 3, () => `region: ${p.renewalCode}`);
      codes.add(p.renewalCode);
      plates.add(`${p.plate.main}/${p.plate.sub}`);
    }
    bad.assertNone();
    expect(codes.size).toBe(count);
    expect(plates.size).toBe(count);
    expect(new Set(parcels.map((p) => p.region))).toEqual(new Set([1, 2, 3]));
  });

  it('gives owners valid national IDs and shares that sum to 100', () => {
    const bad = new Problems();
    const demoId = generateNationalId(DEMO_CITIZEN_SEED);
    const demoOwned: string[] = [];
    const nameById = new Map<string, string>();
    for (const p of parcels) {
      bad.check(p.owners.length >= 1, () => `no owner: ${p.renewalCode}`);
      bad.check(p.owners.reduce((s, o) => s + o.share, 0) === 100, () => `shares: ${p.renewalCode}`);
      bad.check(new Set(p.owners.map((o) => o.nationalId)).size === p.owners.length, () => `same owner twice: ${p.renewalCode}`);
      for (const o of p.owners) {
        bad.check(/^\d{10}$/.test(o.nationalId) && isValidNationalId(o.nationalId), () => `national ID ${o.nationalId}`);
        bad.check(o.name === normalizePersianText(o.name) && o.name.length > 3, () => `name ${o.name}`);
        // one person, one name
        bad.check((nameById.get(o.nationalId) ?? o.name) === o.name, () => `two names for ${o.nationalId}`);
        nameById.set(o.nationalId, o.name);
      }
      if (p.owners.some((o) => o.nationalId === demoId)) {
        expect(p.owners).toEqual([{ nationalId: demoId, name: city.samples.demoCitizenName, share: 100 }]);
        demoOwned.push(p.renewalCode);
      }
    }
    bad.assertNone();
    expect(city.samples.demoCitizenNationalId).toBe(demoId);
    expect(demoOwned.sort()).toEqual([...city.samples.ownedByDemoCitizen].sort());
    // some people own several parcels, some parcels have several owners
    expect(nameById.size).toBeLessThan(parcels.reduce((s, p) => s + p.owners.length, 0));
    expect(parcels.filter((p) => p.owners.length > 1).length).toBeGreaterThan(count / 10);
  });

  it('gives unique valid postal codes and unique Persian addresses', () => {
    const bad = new Problems();
    for (const p of parcels) {
      bad.check(/^\d{10}$/.test(p.postalCode) && isValidPostalCode(p.postalCode), () => `postal code ${p.postalCode}`);
      bad.check(p.address === normalizePersianText(p.address), () => `not normalized: ${p.address}`);
      bad.check(p.address.startsWith(`قزوین، منطقه ${p.region}، `), () => `region: ${p.address}`);
      bad.check(/، پلاک \d+$/.test(p.address), () => `plaque: ${p.address}`);
    }
    bad.assertNone();
    expect(new Set(parcels.map((p) => p.postalCode)).size).toBe(count);
    expect(new Set(parcels.map((p) => p.address)).size).toBe(count);
  });

  it('keeps certificate histories plausible, with unique request numbers', () => {
    const bad = new Problems();
    const kinds = new Set(['apartment_completion', 'transfer', 'inquiry', 'building_permit']);
    const numbers = new Set<string>();
    let total = 0;
    let none = 0;
    for (const p of parcels) {
      if (p.certificates.length === 0) none++;
      let prev = '';
      for (const c of p.certificates) {
        total++;
        numbers.add(c.requestNumber);
        const what = () => `${p.renewalCode}: ${JSON.stringify(c)}`;
        bad.check(kinds.has(c.kind), what);
        bad.check(/^\d{10}$/.test(c.requestNumber), what);
        bad.check(c.jalaliYear >= 1340 && c.jalaliYear <= 1403, what);
        bad.check(c.jalaliYear >= Math.min(p.constructionYear - 1, 1403), what);
        const [jy, jm, jd] = c.jalaliDate.split('/').map(Number);
        bad.check(jy === c.jalaliYear, what);
        const g = fromJalali(jy, jm, jd);
        bad.check(c.issueDate === `${g.gy}-${String(g.gm).padStart(2, '0')}-${String(g.gd).padStart(2, '0')}`, what);
        bad.check(c.issueDate >= prev, what);
        prev = c.issueDate;
      }
    }
    bad.assertNone();
    expect(numbers.size).toBe(total);
    expect(none / count).toBeGreaterThan(0.07);
    expect(none / count).toBeLessThan(0.13);
    expect(parcels.some((p) => p.certificates.length >= 3)).toBe(true);
  });

  it('keeps building attributes in range and consistent with the zone', () => {
    const bad = new Problems();
    const structures = new Set(['steel', 'concrete', 'masonry', 'other']);
    for (const p of parcels) {
      const rules = DEMO_ZONE_RULES[p.zoneCode];
      const what = () => `${p.renewalCode}: ${JSON.stringify({ ...p, owners: undefined, certificates: undefined, geometry: undefined })}`;
      bad.check(p.constructionYear >= 1340 && p.constructionYear <= 1403, what);
      bad.check(structures.has(p.structureType), what);
      bad.check(rules.allowedUses.includes(p.use), what);
      bad.check(p.floors <= rules.maxFloors, what);
      bad.check(p.landArea >= 140 && p.landArea <= 620, what);
      bad.check(Math.abs(p.landArea - p.frontage * Math.round(p.landArea / p.frontage)) < 1e-6, what); // depth in whole metres
      bad.check(p.accessRoadWidth >= 6 && p.accessRoadWidth <= 45, what);
      if (p.use === 'green') bad.check(p.floors === 0 && p.units === 0 && p.buildingArea === 0, what);
      else {
        bad.check(p.floors >= 1 && p.units >= 1, what);
        bad.check(p.buildingArea / p.floors <= (p.landArea * rules.maxOccupancyPercent) / 100 + 1, what);
      }
    }
    bad.assertNone();
    const uses = new Set(parcels.map((p) => p.use));
    for (const u of ['residential', 'commercial', 'office', 'mixed', 'educational', 'health', 'green']) expect(uses).toContain(u);
  });

  it('draws parcels as rectangles of frontage × depth, inside their block, district and region', () => {
    const bad = new Problems();
    const blocks = new Map([...city.blockBatches(500)].flat().map((b) => [b.code, polygonRect(b.geometry)]));
    const districts = new Map(city.districts.map((d) => [d.code, polygonRect(d.geometry)]));
    const regions = new Map(city.regions.map((r) => [r.region, polygonRect(r.geometry)]));
    for (const p of parcels) {
      bad.check(p.geometry.type === 'MultiPolygon' && p.geometry.coordinates.length === 1, () => `shape ${p.renewalCode}`);
      const problem = rectangleRingProblem(p.geometry.coordinates[0][0]);
      bad.check(problem === null, () => `${p.renewalCode}: ${problem}`);
      const r = parcelRect(p);
      // the metre sizes survive the conversion to degrees (7 decimals ≈ 1 cm)
      const w = (r[2] - r[0]) * METERS_PER_DEGREE_LON;
      const h = (r[3] - r[1]) * METERS_PER_DEGREE_LAT;
      bad.check(Math.abs(w - p.frontage) < 0.03, () => `${p.renewalCode}: width ${w} ≠ frontage ${p.frontage}`);
      bad.check(Math.abs(w * h - p.landArea) / p.landArea < 0.002, () => `${p.renewalCode}: area ${w * h} ≠ ${p.landArea}`);
      const block = blocks.get(`${p.region}-${p.district}-${p.block}`);
      bad.check(block !== undefined && inside(r, block), () => `${p.renewalCode} outside its block`);
      const district = districts.get(`${p.region}-${p.district}`);
      bad.check(district !== undefined && inside(r, district), () => `${p.renewalCode} outside its district`);
      bad.check(inside(r, regions.get(p.region) as Rect), () => `${p.renewalCode} outside its region`);
    }
    bad.assertNone();
  });

  it('never overlaps two parcels, a parcel and a street, or two regions/districts', () => {
    const bad = new Problems();
    const rects = parcels.map(parcelRect).sort((a, b) => a[0] - b[0]);
    let pairs = 0;
    for (let i = 0; i < rects.length; i++) {
      for (let j = i + 1; j < rects.length && rects[j][0] < rects[i][2]; j++) {
        pairs++;
        bad.check(!overlaps(rects[i], rects[j]), () => `parcels overlap: ${rects[i]} / ${rects[j]}`);
      }
    }
    expect(pairs).toBeGreaterThan(count);
    // street surfaces from centre line ± width / 2 (less 2 cm for the rounding)
    const tol = 2e-7;
    const streetRects: Rect[] = city.streets.map((s) => {
      const [[x0, y0], [x1, y1]] = s.geometry.coordinates;
      const hx = s.orientation === 'ns' ? s.widthMeters / 2 / METERS_PER_DEGREE_LON - tol : 0;
      const hy = s.orientation === 'ew' ? s.widthMeters / 2 / METERS_PER_DEGREE_LAT - tol : 0;
      return [Math.min(x0, x1) - hx, Math.min(y0, y1) - hy, Math.max(x0, x1) + hx, Math.max(y0, y1) + hy];
    });
    for (const p of parcels) {
      const r = parcelRect(p);
      for (const s of streetRects) bad.check(!overlaps(r, s), () => `parcel ${p.renewalCode} overlaps a street`);
    }
    bad.assertNone();
    const bbox = city.layout.bbox;
    for (const layer of [city.regions.map((x) => polygonRect(x.geometry)), city.districts.map((x) => polygonRect(x.geometry))]) {
      for (let i = 0; i < layer.length; i++) for (let j = i + 1; j < layer.length; j++) expect(overlaps(layer[i], layer[j])).toBe(false);
      const total = layer.reduce((s, r) => s + areaM2(r), 0);
      expect(total / areaM2(bbox)).toBeCloseTo(1, 9);
    }
  });

  it('takes the address and the access road width from the street the parcel faces', () => {
    const bad = new Problems();
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
      bad.check(facing.length === 1, () => `${p.renewalCode} faces ${facing.length} streets`);
      if (facing.length !== 1) continue;
      bad.check(p.accessRoadWidth === facing[0].widthMeters, () => `${p.renewalCode}: road width`);
      bad.check(p.address.includes(`، ${facing[0].name}، پلاک `), () => `${p.address} vs ${facing[0].name}`);
    }
    bad.assertNone();
  });

  it('puts every parcel in the zone that contains its centroid; zones partition the city', () => {
    expect(city.zones.map((z) => z.code)).toEqual(expect.arrayContaining(['R-1', 'R-2', 'C-1', 'M', 'G']));
    const zoneRects = city.zones.flatMap((z) => multiRects(z.geometry).map((r) => ({ code: z.code, r })));
    for (const z of city.zones) {
      for (const poly of z.geometry.coordinates) expectRectangleRing(poly[0]);
      expect(z.planName).toBe('طرح تفصیلی شهر قزوین');
      expect(z.approvalDate).toBe('1396/05/10');
      expect(z.name).toBe(normalizePersianText(z.name));
      // the density bands cover every plot area and road width
      expect(z.bands.filter((b) => b.minPlotArea === 0 && b.minRoadWidth === 0)).toHaveLength(1);
      expect(z.bands.every((b) => b.densityPercent <= z.maxDensityPercent && b.densityPercent >= z.baseDensityPercent)).toBe(true);
    }
    for (let i = 0; i < zoneRects.length; i++) {
      for (let j = i + 1; j < zoneRects.length; j++) expect(overlaps(zoneRects[i].r, zoneRects[j].r)).toBe(false);
    }
    const total = zoneRects.reduce((s, z) => s + areaM2(z.r), 0);
    expect(total / areaM2(city.layout.bbox)).toBeCloseTo(1, 9);
    const bad = new Problems();
    for (const p of parcels) {
      const r = parcelRect(p);
      const cx = (r[0] + r[2]) / 2;
      const cy = (r[1] + r[3]) / 2;
      const hits = zoneRects.filter((z) => containsPoint(z.r, cx, cy));
      bad.check(hits.length === 1 && hits[0].code === p.zoneCode, () => `${p.renewalCode} (${p.zoneCode}) centroid in ${hits.map((h) => h.code)}`);
    }
    bad.assertNone();
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
    for (const w of city.wideningPlans) {
      expect(w.currentWidthMeters).toBe(city.streets.find((s) => s.id === w.streetId)?.widthMeters);
      expect(w.plannedWidthMeters).toBe(w.currentWidthMeters + w.depthMeters * (w.side === 'both' ? 2 : 1));
    }
    const planRects = city.wideningPlans.flatMap((w) => multiRects(w.geometry).map((r) => ({ w, r })));
    for (let i = 0; i < planRects.length; i++) {
      for (let j = i + 1; j < planRects.length; j++) expect(overlaps(planRects[i].r, planRects[j].r)).toBe(false);
    }
    const bad = new Problems();
    let cutParcels = 0;
    for (const p of parcels) {
      const r = parcelRect(p);
      for (const { w, r: pr } of planRects) {
        const a = intersectionM2(r, pr);
        if (a === 0) continue;
        cutParcels++;
        bad.check(Math.abs(a - p.frontage * w.depthMeters) / (p.frontage * w.depthMeters) < 0.01, () => `${p.renewalCode}: cut ${a}`);
        bad.check(p.address.includes(`، ${w.streetName}، پلاک `), () => `${p.address} vs ${w.streetName}`);
        bad.check(w.region === p.region, () => `${p.renewalCode} cut by ${w.id} of region ${w.region}`);
      }
    }
    bad.assertNone();
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
  // Speed and memory are measured by `npm run bench:properties` (city:generate), not here:
  // this checks that the stream is complete, bounded and consistent at full size.
  it('streams a million parcels in bounded batches', () => {
    const batchSize = 1000;
    const city = generateCity({ parcels: 1_000_000, seed: 11 });
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
        const p = batch[batch.length >> 1];
        expect(p.renewalCode).toMatch(RENEWAL);
        expect(isValidNationalId(p.owners[0].nationalId)).toBe(true);
        expect(isValidPostalCode(p.postalCode)).toBe(true);
      }
    }
    expect(tooBig).toBe(0);
    expect(total).toBe(1_000_000);
    expect(batches).toBe(1_000);
    expect(first).toEqual(city.parcelAt(0));
    expect(last).toEqual(city.parcelAt(999_999));
    expect(city.parcelByRenewalCode((last as ParcelRecord).renewalCode)).toEqual(last);
    expect(city.layout.columns % 3).toBe(0);
    expect(city.districts.length).toBeGreaterThan(30);
  }, 180_000);
});
