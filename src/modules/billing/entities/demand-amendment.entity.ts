import { Entity, Enum, Index, Property } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';

export enum AmendmentKind {
  WriteOff = 'write_off',
  Correction = 'correction',
  CourtRuling = 'court_ruling',
}

/** A change of a demand's principal; never deleted (the demand keeps its assessed amount too). */
@Entity({ tableName: 'billing_demand_amendment' })
@Index({ name: 'billing_demand_amendment_demand_idx', properties: ['demandId'] })
export class DemandAmendment extends BaseEntity {
  @Property({ type: 'uuid' })
  demandId: string;

  @Enum({ items: () => AmendmentKind })
  kind: AmendmentKind;

  /** Coded reason, e.g. COUNCIL_EXEMPTION, AREA_CORRECTION, COURT_VERDICT. */
  @Property({ type: 'text' })
  reasonCode: string;

  @Property({ type: 'text', nullable: true })
  note?: string | null;

  @Property({ type: 'bigint', columnType: 'bigint' })
  previousRials: string;

  @Property({ type: 'bigint', columnType: 'bigint' })
  newRials: string;

  @Property({ type: 'text' })
  actorType: string;

  @Property({ type: 'text', nullable: true })
  actorId?: string | null;
}
