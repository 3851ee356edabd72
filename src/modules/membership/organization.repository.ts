import { Injectable } from '@nestjs/common';
import { query, type Query, type Row } from '../../database/sql';
import type { OrganizationKind } from './entities/organization.entity';

/** An organization as administrators list it. */
export interface OrganizationRow {
  id: string;
  kind: OrganizationKind;
  name: string;
  legalNationalId: string;
  notaryOfficeNumber: string | null;
  active: boolean;
  createdAt: Date;
}

function toRow(r: Row): OrganizationRow {
  return {
    id: String(r.id),
    kind: r.kind as OrganizationKind,
    name: String(r.name),
    legalNationalId: String(r.legal_national_id),
    notaryOfficeNumber: r.notary_office_number == null ? null : String(r.notary_office_number),
    active: Boolean(r.active),
    createdAt: r.created_at instanceof Date ? r.created_at : new Date(String(r.created_at)),
  };
}

/** What other modules show of an organization beside their own rows (see OrganizationReadModel). */
export interface OrganizationSummary {
  id: string;
  name: string;
  kind: string;
}

/** Statements on `organization`: the administrators' list, and those other modules run through OrganizationsService or OrganizationReadModel. */
@Injectable()
export class OrganizationRepository {
  /** Every organization's id, name and kind: as a CTE its columns are `id, name, kind`, joined on `id`. */
  summaries(): Query<OrganizationSummary[]> {
    return query(`select id, name, kind from organization`, [], (rows: Row[]) =>
      rows.map((r) => ({ id: String(r.id), name: String(r.name), kind: String(r.kind) })),
    );
  }

  /** A page of organizations by name, and the count of all of them. */
  page(limit: number, offset: number): Query<{ items: OrganizationRow[]; total: number }> {
    return query(
      `select id, kind, name, legal_national_id, notary_office_number, active, created_at, count(*) over () as total
         from organization order by name, id limit ? offset ?`,
      [limit, offset],
      (rows) => ({ items: rows.map(toRow), total: rows.length ? Number(rows[0].total) : 0 }),
    );
  }

  /** Locks the organization's row until the transaction ends (false: no such organization). */
  lock(id: string): Query<boolean> {
    return query(`select id from organization where id = ? for update`, [id], (rows) => rows.length > 0);
  }
}
