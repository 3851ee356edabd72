import { DomainError } from '@app/common';
import {
  bandsProblem,
  canonicalJalaliDate,
  geometryProblem,
  ownerListIssues,
  parseFeatureCollection,
  parseIssueDate,
  validateZoneRules,
} from './property-import.service';
import { ZONE_MAX_BANDS } from './dto/admin.dto';

const band = (minPlotArea: number, maxPlotArea: number | null, minRoadWidth: number, maxRoadWidth: number | null, densityPercent = 100) => ({
  minPlotArea,
  maxPlotArea,
  minRoadWidth,
  maxRoadWidth,
  densityPercent,
});

const RULES = {
  allowedUses: ['residential'],
  maxOccupancyPercent: 60,
  baseDensityPercent: 120,
  maxDensityPercent: 180,
  maxFloors: 3,
  minPlotArea: 200,
  setbacks: { front: 2, back: 5, side: 0 },
  bands: [band(0, 300, 0, 12), band(0, 300, 12, null), band(300, null, 0, 12), band(300, null, 12, null)],
  parkingRule: { perUnit: 1, perCommercialM2: 75 },
};

describe('bandsProblem', () => {
  it.each([
    ['no bands', []],
    ['one open band', [band(0, null, 0, null)]],
    ['a 2 × 2 grid', RULES.bands],
    ['rows of different road splits', [band(0, 200, 0, 10), band(0, 200, 10, null), band(200, null, 0, 20), band(200, null, 20, null)]],
    ['starting above zero', [band(100, null, 6, null)]],
  ])('accepts %s', (_, bands) => {
    expect(bandsProblem(bands)).toBeNull();
  });

  it.each([
    ['a missing cell', RULES.bands.slice(1), /gap at plot area 0–300 m², road width 0–12 m/],
    ['a bounded top', [band(0, 300, 0, null)], /gap at plot area 300–∞ m²/],
    ['a hole between area ranges', [band(0, 100, 0, null), band(200, null, 0, null)], /gap at plot area 100–200 m²/],
    ['the same band twice', [band(0, null, 0, null), band(0, null, 0, null)], /bands 0 and 1 overlap/],
    ['overlapping areas', [band(0, 300, 0, null), band(200, null, 0, null)], /bands 0 and 1 overlap at plot area 200–300 m²/],
    ['overlapping roads', [band(0, null, 0, 12), band(0, null, 10, null)], /overlap at plot area 0–∞ m², road width 10–12 m/],
  ])('rejects %s', (_, bands, message) => {
    expect(bandsProblem(bands)).toMatch(message);
  });
});

describe('validateZoneRules', () => {
  it('accepts good rules and drops unknown members', () => {
    const { rules, issues } = validateZoneRules({ ...RULES, colour: 'red' });
    expect(issues).toEqual([]);
    expect(rules).toEqual(RULES);
  });

  it('names every bad member', () => {
    const { rules, issues } = validateZoneRules({
      ...RULES,
      allowedUses: ['residential', 'castle'],
      maxOccupancyPercent: 120,
      baseDensityPercent: 200,
      maxFloors: 2.5,
      setbacks: { front: -1, back: 0, side: 0 },
      bands: [band(0, null, 0, null), { ...band(0, null, 0, null), maxPlotArea: -3 }],
      parkingRule: null,
    });
    expect(rules).toBeNull();
    expect(issues.map((i) => i.field)).toEqual([
      'rules.allowedUses',
      'rules.maxOccupancyPercent',
      'rules.maxDensityPercent',
      'rules.maxFloors',
      'rules.setbacks.front',
      'rules.parkingRule',
      'rules.bands[1].maxPlotArea',
    ]);
    expect(issues.every((i) => i.reason === 'FIELD_INVALID')).toBe(true);
  });

  it('checks the band tiling only when each band is well formed', () => {
    expect(validateZoneRules({ ...RULES, bands: RULES.bands.slice(1) }).issues).toEqual([
      expect.objectContaining({ field: 'rules.bands', message: expect.stringMatching(/gap/) }),
    ]);
    expect(validateZoneRules({ ...RULES, bands: [band(0, 0, 0, null)] }).issues).toEqual([
      expect.objectContaining({ field: 'rules.bands[0].maxPlotArea' }),
    ]);
  });

  it('refuses more density bands than the contract allows (ZONE_MAX_BANDS), before looking at each', () => {
    const strip = (i: number) => band(i, i + 1, 0, null);
    const many = Array.from({ length: ZONE_MAX_BANDS + 1 }, (_, i) => strip(i));
    expect(validateZoneRules({ ...RULES, bands: many }).issues).toEqual([
      expect.objectContaining({ field: 'rules.bands', message: expect.stringContaining(`at most ${ZONE_MAX_BANDS}`) }),
    ]);
    expect(validateZoneRules({ ...RULES, bands: many.slice(0, ZONE_MAX_BANDS) }).issues.filter((i) => i.message.includes('at most'))).toEqual([]);
  });

  it('refuses something other than an object', () => {
    expect(validateZoneRules('strict', 'properties.rules').issues).toEqual([expect.objectContaining({ field: 'properties.rules' })]);
  });
});

describe('geometryProblem', () => {
  const square = [[[50, 36], [50.001, 36], [50.001, 36.001], [50, 36.001], [50, 36]]];
  it.each([
    [{ type: 'Polygon', coordinates: square }, ['Polygon', 'MultiPolygon']],
    [{ type: 'MultiPolygon', coordinates: [square] }, ['Polygon', 'MultiPolygon']],
    [{ type: 'Point', coordinates: [50, 36, 1200] }, null],
    [{ type: 'LineString', coordinates: [[50, 36], [50.1, 36.1]] }, null],
    [{ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [50, 36] }] }, null],
  ])('accepts %j', (g, allowed) => {
    expect(geometryProblem(g, allowed)).toBeNull();
  });

  it.each([
    [null, null, /no geometry/],
    [{ type: 'LineString', coordinates: [[50, 36], [50.1, 36.1]] }, ['Polygon', 'MultiPolygon'], /not allowed/],
    [{ type: 'Polygon', coordinates: [[[50, 36], [50.001, 36], [50, 36.001]]] }, null, /at least 4 positions/],
    [{ type: 'Polygon', coordinates: [[[50, 36], [50.001, 36], [50.001, 36.001], [50, 36.001]]] }, null, /closed/],
    [{ type: 'Point', coordinates: [432000, 4015000] }, null, /outside WGS 84/],
    [{ type: 'Point', coordinates: ['50', 36] }, null, /numbers/],
    [{ type: 'MultiPolygon', coordinates: [] }, null, /at least one polygon/],
    [{ type: 'Circle', coordinates: [50, 36] }, null, /unknown geometry type/],
  ])('rejects %j', (g, allowed, message) => {
    expect(geometryProblem(g, allowed)).toMatch(message);
  });
});

describe('ownerListIssues', () => {
  it('accepts shares that add up to 100 within rounding', () => {
    expect(ownerListIssues([{ nationalId: 'a', sharePercent: 100 }])).toEqual([]);
    expect(
      ownerListIssues([
        { nationalId: 'a', sharePercent: 33.33 },
        { nationalId: 'b', sharePercent: 33.33 },
        { nationalId: 'c', sharePercent: 33.34 },
      ]),
    ).toEqual([]);
  });

  it('rejects other sums, no owners and the same person twice', () => {
    expect(ownerListIssues([{ nationalId: 'a', sharePercent: 60 }, { nationalId: 'b', sharePercent: 30 }])).toEqual([
      expect.objectContaining({ reason: 'OWNER_SHARES_INVALID', message: expect.stringMatching(/90/) }),
    ]);
    expect(ownerListIssues([])).toEqual([expect.objectContaining({ reason: 'OWNER_SHARES_INVALID' })]);
    expect(ownerListIssues([{ nationalId: 'a', sharePercent: 50 }, { nationalId: 'a', sharePercent: 50 }])).toEqual([
      expect.objectContaining({ reason: 'DUPLICATE', field: '[1].nationalId' }),
    ]);
  });
});

describe('dates', () => {
  it.each([
    ['1396/5/10', '1396/05/10'],
    ['1396-05-10', '1396/05/10'],
    ['1403/12/30', '1403/12/30'],
    ['1396/13/10', null],
    ['1402/12/30', null],
    ['yesterday', null],
  ])('canonicalJalaliDate(%s) = %s', (input, expected) => {
    expect(canonicalJalaliDate(input)).toBe(expected);
  });

  it.each([
    ['2023-07-12', '2023-07-12'],
    ['2024-2-29', '2024-02-29'],
    ['1403/02/01', '2024-04-20'],
    ['2023-02-29', null],
    ['1402/12/30', null],
    ['12/07/2023', null],
  ])('parseIssueDate(%s) = %s', (input, expected) => {
    expect(parseIssueDate(input)).toBe(expected);
  });
});

describe('parseFeatureCollection', () => {
  const file = (text: string) => ({ originalname: 'x.geojson', buffer: Buffer.from(text) });
  const codeOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return (err as DomainError).code;
    }
    return 'none';
  };

  it('reads a FeatureCollection, with or without a byte-order mark', () => {
    expect(parseFeatureCollection(file('\uFEFF{"type":"FeatureCollection","features":[{"type":"Feature"}]}'))).toHaveLength(1);
  });

  it.each([
    ['no file', undefined],
    ['an empty file', file('')],
    ['broken JSON', file('{"type":')],
    ['a Feature', file('{"type":"Feature","properties":{},"geometry":null}')],
    ['no features', file('{"type":"FeatureCollection","features":[]}')],
    ['a projected CRS', file('{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:32639"}},"features":[{}]}')],
  ])('refuses %s with IMPORT_FILE_INVALID', (_, f) => {
    expect(codeOf(() => parseFeatureCollection(f))).toBe('IMPORT_FILE_INVALID');
  });

  it('accepts the CRS84 and EPSG:4326 names', () => {
    for (const name of ['urn:ogc:def:crs:OGC:1.3:CRS84', 'urn:ogc:def:crs:EPSG::4326', 'EPSG:4326']) {
      expect(parseFeatureCollection(file(JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name } }, features: [{}] })))).toHaveLength(1);
    }
  });
});
