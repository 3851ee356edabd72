import { Injectable } from '@nestjs/common';
import { query, type Query } from '../../database/sql';

/** Statements on `organization` that other modules run through OrganizationsService. */
@Injectable()
export class OrganizationRepository {
  /** Locks the organization's row until the transaction ends (false: no such organization). */
  lock(id: string): Query<boolean> {
    return query(`select id from organization where id = ? for update`, [id], (rows) => rows.length > 0);
  }
}
