import { Injectable } from '@nestjs/common';
import { type Cte, query, type Query, type Row, withCtes } from '../../database/sql';

/** A guild licence as a subject of billing. */
export interface GuildSubject {
  id: string;
  code: string;
  region: number;
}

/** A guild licence as staff list it, with its property's renewal code. */
export interface GuildLicenceLine {
  guildCode: string;
  businessName: string;
  category: string;
  ownerNationalId: string;
  renewalCode: string;
  region: number;
  areaM2: number;
  active: boolean;
}

function toLine(r: Row): GuildLicenceLine {
  return {
    guildCode: String(r.guild_code),
    businessName: String(r.business_name),
    category: String(r.category),
    ownerNationalId: String(r.owner_national_id),
    renewalCode: String(r.renewal_code),
    region: Number(r.region),
    areaM2: Number(r.area_m2),
    active: Boolean(r.active),
  };
}

/** The statements on `guild_licence` (the licences themselves are kept through the `GuildLicence` entity). */
@Injectable()
export class GuildLicencesRepository {
  /**
   * A page of licences by guild code, each with its property's renewal code, and the count of
   * all of them. `property`: the properties as columns `id`, `code` (PropertyBillingFacts'
   * subjects; billing names no property table).
   */
  page(property: Cte, limit: number, offset: number): Query<{ items: GuildLicenceLine[]; total: number }> {
    return withCtes(
      [property],
      query(
        `select g.guild_code, g.business_name, g.category, g.owner_national_id, p.code as renewal_code, g.region, g.area_m2, g.active,
                count(*) over () as total
           from guild_licence g join ${property.name} p on p.id = g.property_id
          order by g.guild_code limit ? offset ?`,
        [limit, offset],
        (rows) => ({ items: rows.map(toLine), total: rows.length ? Number(rows[0].total) : 0 }),
      ),
    );
  }

  /** The licence with this guild code, as columns `id`, `code`, `region` (composable as the debt lookup's subject). */
  subjectByCode(guildCode: string): Query<GuildSubject | undefined> {
    return query(`select g.id, g.guild_code as code, g.region from guild_licence g where g.guild_code = ?`, [guildCode], (rows) =>
      rows[0] ? { id: String(rows[0].id), code: String(rows[0].code), region: Number(rows[0].region) } : undefined,
    );
  }

  /** The licence with this guild code and whether `nationalId` holds it. */
  withOwnership(guildCode: string, nationalId: string): Query<(GuildSubject & { owned: boolean }) | undefined> {
    return query(
      `select g.id, g.guild_code as code, g.region, (g.owner_national_id = ?) as owned from guild_licence g where g.guild_code = ?`,
      [nationalId, guildCode],
      (rows) =>
        rows[0] ? { id: String(rows[0].id), code: String(rows[0].code), region: Number(rows[0].region), owned: rows[0].owned === true } : undefined,
    );
  }

  /** How many licences are active (the guild fee's subjects). */
  countActive(): Query<number> {
    return query(`select count(*)::int as n from guild_licence where active`, [], (rows) => Number(rows[0]?.n ?? 0));
  }
}
