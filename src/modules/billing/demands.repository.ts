import { Injectable } from '@nestjs/common';
import { jsonValue } from '../../database/json-value';
import { pgArray } from '../../database/pg-array';
import { cte, query, type Query, type Row, statement, withCtes } from '../../database/sql';
import { PropertyBillingFacts, type PropertySubject } from '../properties/billing-facts.read-model';

/** A demand as staff see it, with its amendments. */
export interface DemandRecord {
  id: string;
  feeType: string;
  subjectCode: string;
  region: number;
  jalaliYear: number;
  amountRials: bigint;
  assessedRials: bigint;
  status: string;
  tariffId: string;
  snapshot: Record<string, unknown>;
  amendments: Array<Record<string, unknown>>;
}

/** A demand locked for an amendment. */
export interface LockedDemand {
  id: string;
  status: string;
  region: number;
  amountRials: bigint;
  subjectCode: string;
  feeType: string;
}

/** The inquiry fee of a property's file, as a new open demand. */
export interface InquiryFeeDemand {
  inquiryId: string;
  renewalCode: string;
  propertyId: string;
  region: number;
  jalaliYear: number;
  feeRials: bigint;
  tariffId: string;
  snapshot: Record<string, unknown>;
}

export interface Amendment {
  demandId: string;
  kind: string;
  reasonCode: string;
  note: string | null;
  previousRials: bigint;
  newRials: bigint;
  actorType: string;
  actorId: string | null;
}

const DEMAND_COLUMNS = `select d.id, d.fee_type, d.subject_code, d.region, d.jalali_year, d.status, d.tariff_id, d.snapshot,
              d.amount_rials::text as amount, d.assessed_rials::text as assessed,
              (select coalesce(json_agg(json_build_object('kind', a.kind, 'reasonCode', a.reason_code, 'note', a.note,
                        'previousRials', a.previous_rials, 'newRials', a.new_rials, 'at', a.created_at, 'actorType', a.actor_type,
                        'actorId', a.actor_id) order by a.created_at), '[]'::json)
                 from billing_demand_amendment a where a.demand_id = d.id) as amendments`;

function toDemand(r: Row): DemandRecord {
  return {
    id: String(r.id),
    feeType: String(r.fee_type),
    subjectCode: String(r.subject_code),
    region: Number(r.region),
    jalaliYear: Number(r.jalali_year),
    amountRials: BigInt(String(r.amount)),
    assessedRials: BigInt(String(r.assessed)),
    status: String(r.status),
    tariffId: String(r.tariff_id),
    snapshot: jsonValue<Record<string, unknown>>(r.snapshot),
    amendments: jsonValue<Array<Record<string, unknown>>>(r.amendments),
  };
}

/** Every statement on `billing_demand` and `billing_demand_amendment`. */
@Injectable()
export class DemandsRepository {
  constructor(private readonly properties: PropertyBillingFacts) {}

  /** An inquiry's fee as an open demand, once per inquiry and year (a second insert changes nothing). */
  insertInquiryFee(d: InquiryFeeDemand): Query<void> {
    return statement(
      `insert into billing_demand (id, created_at, updated_at, fee_type, subject_id, subject_code, property_id, region, jalali_year,
                                   amount_rials, assessed_rials, status, tariff_id, snapshot)
       values (gen_random_uuid(), now(), now(), 'inquiry', ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?::jsonb)
       on conflict (subject_id, fee_type, jalali_year) do nothing`,
      [d.inquiryId, d.renewalCode, d.propertyId, d.region, d.jalaliYear, d.feeRials.toString(), d.feeRials.toString(), d.tariffId, JSON.stringify(d.snapshot)],
    );
  }

  /**
   * A page of the demands of a property (by renewal code: its renewal, waste, inquiry fees and
   * its guild units) or of a guild licence (by guild code), newest year first, with
   * amendments, and the count of all of them. `regions`: only demands of these regions (null:
   * every region).
   */
  pageForSubject(
    subject: { renewalCode: string } | { guildCode: string },
    regions: number[] | null,
    limit: number,
    offset: number,
  ): Query<{ items: DemandRecord[]; total: number }> {
    const scope = regions === null ? '' : ' and d.region = any(?::int[])';
    const scopeParams = regions === null ? [] : [pgArray(regions)];
    const tail = `${scope} order by d.jalali_year desc, d.fee_type, d.id limit ? offset ?`;
    const read = (rows: Row[]) => ({ items: rows.map(toDemand), total: rows.length ? Number(rows[0].total) : 0 });
    if ('guildCode' in subject) {
      return query(
        `${DEMAND_COLUMNS}, count(*) over () as total from billing_demand d
          where d.subject_id = (select id from guild_licence where guild_code = ?)${tail}`,
        [subject.guildCode, ...scopeParams, limit, offset],
        read,
      );
    }
    const property = cte(this.properties.subjectByCode(subject.renewalCode));
    return withCtes(
      [property],
      query(`${DEMAND_COLUMNS}, count(*) over () as total from billing_demand d where d.property_id = (select id from ${property.name})${tail}`, [...scopeParams, limit, offset], read),
    );
  }

  /** One demand with its amendments (undefined: none). */
  byId(id: string): Query<DemandRecord | undefined> {
    return query(`${DEMAND_COLUMNS} from billing_demand d where d.id = ?`, [id], (rows) => (rows[0] ? toDemand(rows[0]) : undefined));
  }

  /** The demand, locked until the caller's transaction ends. */
  lockForAmendment(id: string): Query<LockedDemand | undefined> {
    return query(
      `select id, status, region, amount_rials::text as amount, subject_code, fee_type from billing_demand where id = ? for update`,
      [id],
      (rows) =>
        rows[0] && {
          id: String(rows[0].id),
          status: String(rows[0].status),
          region: Number(rows[0].region),
          amountRials: BigInt(String(rows[0].amount)),
          subjectCode: String(rows[0].subject_code),
          feeType: String(rows[0].fee_type),
        },
    );
  }

  /** Sets the principal and status of a demand. */
  setAmount(id: string, amountRials: bigint, status: string): Query<void> {
    return statement(`update billing_demand set amount_rials = ?, status = ?, updated_at = now() where id = ?`, [amountRials.toString(), status, id]);
  }

  insertAmendment(a: Amendment): Query<void> {
    return statement(
      `insert into billing_demand_amendment (id, created_at, updated_at, demand_id, kind, reason_code, note, previous_rials, new_rials, actor_type, actor_id)
       values (gen_random_uuid(), now(), now(), ?, ?, ?, ?, ?, ?, ?, ?)`,
      [a.demandId, a.kind, a.reasonCode, a.note, a.previousRials.toString(), a.newRials.toString(), a.actorType, a.actorId],
    );
  }

  /** Marks the open ones of these demands paid by a bill (row id); the ids it marked. */
  markPaid(ids: string[], billRowId: string, paidAt: Date): Query<string[]> {
    return query(
      `update billing_demand set status = 'paid', paid_bill_id = ?, paid_at = ?, updated_at = now()
        where id = any(?::uuid[]) and status = 'open' returning id`,
      [billRowId, paidAt, pgArray(ids)],
      (rows) => rows.map((r) => String(r.id)),
    );
  }

  /** How many demands a Jalali year has. */
  countForYear(jalaliYear: number): Query<number> {
    return query(`select count(*)::int as n from billing_demand where jalali_year = ?`, [jalaliYear], (rows) => Number(rows[0]?.n ?? 0));
  }

  /** The first property (by region, renewal code) not in `exclude` with open renewal or waste demands. */
  firstPayableProperty(exclude: string[]): Query<PropertySubject | undefined> {
    const candidates = cte(this.properties.subjectsExcept(exclude));
    return withCtes(
      [candidates],
      query(
        `select c.id, c.code, c.region from ${candidates.name} c
          where exists (select 1 from billing_demand d where d.property_id = c.id and d.status = 'open' and d.fee_type <> 'guild')
          order by c.region, c.code limit 1`,
        [],
        (rows) => (rows[0] ? { id: String(rows[0].id), code: String(rows[0].code), region: Number(rows[0].region) } : undefined),
      ),
    );
  }
}
