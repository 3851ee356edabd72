import { Injectable } from '@nestjs/common';
import { firstRow, query, type Query } from '../../../database/sql';

/** What an access token is checked against: may the principal still act, and its token epoch. */
export interface PrincipalState {
  active: boolean;
  epoch: number;
  /** Citizens: identity verified (registries or desk); always true for staff and organizations. */
  verified: boolean;
}

/** Who an access token names: a staff account or a citizen by id, an organization by its API client. */
export type PrincipalKey =
  | { kind: 'staff' | 'citizen'; id: string }
  | { kind: 'organization'; organizationId: string; clientId: string };

/**
 * The statements of token revocation on membership's tables (`staff_user`, `citizen`,
 * `api_client`, `organization`): one read by primary key (or client id) per principal.
 */
@Injectable()
export class PrincipalStateRepository {
  /** The principal's `active` flag and token epoch; undefined when it does not exist. An organization is active when its client and itself are. */
  find(key: PrincipalKey): Query<PrincipalState | undefined> {
    const [sql, params] =
      key.kind === 'organization'
        ? [
            `select c.active and o.active as active, c.token_epoch as epoch, true as verified
               from api_client c join organization o on o.id = c.organization_id
              where c.client_id = ? and o.id = ?`,
            [key.clientId, key.organizationId],
          ]
        : key.kind === 'staff'
          ? [`select active, token_epoch as epoch, true as verified from staff_user where id = ?`, [key.id]]
          : [`select active, token_epoch as epoch, identity_verified_at is not null as verified from citizen where id = ?`, [key.id]];
    return query(sql, params, firstRow((row) => ({ active: row.active === true, epoch: Number(row.epoch), verified: row.verified === true })));
  }
}
