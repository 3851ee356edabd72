import { Injectable } from '@nestjs/common';
import { pgArray } from '../../database/pg-array';
import { query, type Query } from '../../database/sql';

/** Figures about issued answers for other modules (the desk's statistics), so they never name the `certificate` table. */
@Injectable()
export class CertificateReadModel {
  /** Per region: answers issued in [from, to). */
  issuedPerRegion(regions: number[], from: Date, to: Date): Query<Map<number, number>> {
    return query(
      `select r.region, (select count(*) from certificate c where c.region = r.region and c.issued_at >= ? and c.issued_at < ?) as issued
         from unnest(?::smallint[]) as r(region)`,
      [from, to, pgArray(regions)],
      (rows) => new Map(rows.map((r) => [Number(r.region), Number(r.issued)])),
    );
  }
}
