import { Injectable } from '@nestjs/common';
import { query, type Query, type Row } from '../../database/sql';

/**
 * What other modules show of an organization beside their own rows. As a CTE
 * (`cte(organizations.all(), name)`) its columns are `id, name, kind`; the composing
 * statement joins on `id`.
 */
export interface OrganizationSummary {
  id: string;
  name: string;
  kind: string;
}

/**
 * Organizations' names and kinds for modules that keep an organization's id (the integration
 * module's requests): a read model membership exports, so no other module names the
 * `organization` table. Compose it into the caller's statement as a CTE (one round trip).
 */
@Injectable()
export class OrganizationReadModel {
  /** Every organization's id, name and kind (compose as a CTE and join on `id`). */
  all(): Query<OrganizationSummary[]> {
    return query(`select id, name, kind from organization`, [], (rows: Row[]) =>
      rows.map((r) => ({ id: String(r.id), name: String(r.name), kind: String(r.kind) })),
    );
  }
}
