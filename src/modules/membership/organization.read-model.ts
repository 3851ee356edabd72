import { Injectable } from '@nestjs/common';
import type { Query } from '../../database/sql';
import { OrganizationRepository, type OrganizationSummary } from './organization.repository';

export type { OrganizationSummary };

/**
 * Organizations' names and kinds for modules that keep an organization's id (the integration
 * module's requests): what membership exports, so no other module names the `organization`
 * table or imports its repository. Compose it into the caller's statement as a CTE
 * (`cte(organizations.all(), name)`, one round trip) and join on `id`.
 */
@Injectable()
export class OrganizationReadModel {
  constructor(private readonly organizations: OrganizationRepository) {}

  /** Every organization's id, name and kind. */
  all(): Query<OrganizationSummary[]> {
    return this.organizations.summaries();
  }
}
