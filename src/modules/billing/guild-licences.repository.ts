import { Injectable } from '@nestjs/common';
import { query, type Query } from '../../database/sql';

/** A guild licence as a subject of billing. */
export interface GuildSubject {
  id: string;
  code: string;
  region: number;
}

/** The statements on `guild_licence` (the licences themselves are kept through the `GuildLicence` entity). */
@Injectable()
export class GuildLicencesRepository {
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
