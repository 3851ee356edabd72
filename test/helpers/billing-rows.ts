import type { TestDb } from './test-app';

/** A property row (no geometry) for repository tests; returns its id. */
export async function insertPropertyRow(db: TestDb, code: string): Promise<string> {
  const [region, district, block, parcel] = code.split('-').map(Number);
  const [row] = await db.sql<{ id: string }>(
    `insert into property (id, renewal_code, region, district, block, parcel, building, apartment, shop, address, land_area, building_area,
                           use, floors, units, structure_type, zone_code, created_at, updated_at)
     values (gen_random_uuid(), $1, $2, $3, $4, $5, 0, 0, 0, 'قزوین', 300, 450, 'residential', 2, 2, 'concrete', 'R-1', now(), now())
     returning id`,
    [code, region, district, block, parcel],
  );
  return row.id;
}

/** A guild licence row in a property; returns its id. */
export async function insertGuildRow(db: TestDb, guildCode: string, propertyId: string, ownerNationalId: string): Promise<string> {
  const [row] = await db.sql<{ id: string }>(
    `insert into guild_licence (id, guild_code, business_name, category, owner_national_id, property_id, region, area_m2, active, created_at, updated_at)
     values (gen_random_uuid(), $1, 'نمونه', 'food', $2, $3, 1, 40, true, now(), now()) returning id`,
    [guildCode, ownerNationalId, propertyId],
  );
  return row.id;
}

/** An open demand row; returns its id. */
export async function insertDemandRow(
  db: TestDb,
  d: { feeType: string; subjectId: string; subjectCode: string; propertyId: string; year: number; amount: number; region?: number },
): Promise<string> {
  const [row] = await db.sql<{ id: string }>(
    `insert into billing_demand (id, created_at, updated_at, fee_type, subject_id, subject_code, property_id, region, jalali_year,
                                 amount_rials, assessed_rials, status, tariff_id, snapshot)
     values (gen_random_uuid(), now(), now(), $1, $2, $3, $4, $5, $6, $7, $7, 'open', gen_random_uuid(),
             '{"penalty": {"monthlyBp": 0, "maxBp": 0}, "discount": {"percentBp": 0, "untilMonth": 0}}'::jsonb)
     returning id`,
    [d.feeType, d.subjectId, d.subjectCode, d.propertyId, d.region ?? 1, d.year, d.amount],
  );
  return row.id;
}
