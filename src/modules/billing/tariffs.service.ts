import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { toJalali } from '@app/iran';
import { AuditService } from '../audit/audit.service';
import { BillingErrors } from './billing.errors';
import { defaultTariff, TARIFF_YEAR_RANGE, TariffRules, validateTariff } from './domain/tariff';
import { RegionalValueDto, RegionalValueInputDto, TariffDto } from './dto/tariff.dto';
import { RegionalValue } from './entities/regional-value.entity';
import { Tariff } from './entities/tariff.entity';
import { run } from '../../database/sql';
import { TariffsRepository } from './tariffs.repository';

/** Years for which the start-up step makes sure a tariff exists: this one and the two before. */
export const DEFAULT_TARIFF_YEARS_BACK = 2;

export function assertJalaliYear(year: number): void {
  if (!Number.isInteger(year) || year < TARIFF_YEAR_RANGE.min || year > TARIFF_YEAR_RANGE.max) throw BillingErrors.YEAR_INVALID();
}

/** Tariffs as versioned master data (never edited in place) and regional land values. */
@Injectable()
export class TariffsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    private readonly repo: TariffsRepository,
  ) {}

  /** Start-up step: a default tariff for the current Jalali year and the previous two when missing. */
  async ensureDefaults(em: EntityManager, now = new Date()): Promise<number[]> {
    const current = toJalali(now).jy;
    const created: number[] = [];
    for (let back = 0; back <= DEFAULT_TARIFF_YEARS_BACK; back++) {
      const year = current - back;
      if (await em.count(Tariff, { jalaliYear: year })) continue;
      const rules = defaultTariff(back);
      try {
        await em.transactional(async (tx) => {
          const t = tx.create(Tariff, { jalaliYear: year, version: 1, ...rules, note: 'default' });
          tx.persist(t);
          await run(tx, this.audit.record({ action: 'billing.tariff.created', target: { type: 'billing_tariff', id: t.id }, after: { jalaliYear: year, version: 1, ...rules } }));
        });
      } catch (err) {
        // another process (a second instance starting at the same time) made it first
        if (err instanceof UniqueConstraintViolationException) continue;
        throw err;
      }
      created.push(year);
    }
    return created;
  }

  async current(year: number, em: EntityManager = this.em): Promise<TariffDto> {
    assertJalaliYear(year);
    const t = await em.findOne(Tariff, { jalaliYear: year }, { orderBy: { version: 'desc' } });
    if (!t) throw BillingErrors.TARIFF_NOT_FOUND();
    return tariffDto(t);
  }

  /** Every version of a year, newest first. */
  async versions(year: number): Promise<TariffDto[]> {
    assertJalaliYear(year);
    const rows = await this.em.find(Tariff, { jalaliYear: year }, { orderBy: { version: 'desc' } });
    return rows.map(tariffDto);
  }

  /** Adds the next version of a year's tariff (validated, audited). Issued demands keep theirs. */
  async update(year: number, rules: TariffRules, note: string): Promise<TariffDto> {
    assertJalaliYear(year);
    const fieldErrors = validateTariff(rules);
    if (fieldErrors.length) throw BillingErrors.TARIFF_INVALID({ fieldErrors });
    return this.em.fork().transactional(async (tx) => {
      // one writer per year at a time, so versions stay 1, 2, 3, … without a unique-violation race
      await run(tx, this.repo.lockYear(year));
      const latest = await run(tx, this.repo.latestVersion(year));
      const previous = latest ? await tx.findOne(Tariff, { jalaliYear: year, version: latest }) : null;
      const t = tx.create(Tariff, {
        jalaliYear: year,
        version: (previous?.version ?? 0) + 1,
        renewal: rules.renewal,
        waste: rules.waste,
        guild: rules.guild,
        penalty: rules.penalty,
        discount: rules.discount,
        inquiry: rules.inquiry === undefined ? (previous?.inquiry ?? null) : rules.inquiry,
        note,
      });
      tx.persist(t);
      await run(tx, this.audit.record({
        action: 'billing.tariff.updated',
        target: { type: 'billing_tariff', id: t.id },
        before: previous ? tariffDto(previous) : null,
        after: { jalaliYear: year, version: t.version, note, ...rules },
      }));
      return tariffDto(t);
    });
  }

  async regionalValues(year: number, region?: number): Promise<RegionalValueDto[]> {
    assertJalaliYear(year);
    const rows = await this.em.find(
      RegionalValue,
      region === undefined ? { jalaliYear: year } : { jalaliYear: year, region },
      { orderBy: { region: 'asc', district: 'asc', block: 'asc' }, limit: 5000 },
    );
    return rows.map((r) => ({ jalaliYear: r.jalaliYear, region: r.region, district: r.district, block: r.block, landValuePerM2: Number(r.landValuePerM2) }));
  }

  /** Sets the regional land values of blocks for a year (insert or replace), audited per call. */
  async setRegionalValues(year: number, values: RegionalValueInputDto[]): Promise<{ written: number }> {
    assertJalaliYear(year);
    return this.em.fork().transactional(async (tx) => {
      const before = await run(tx, this.repo.regionalValuesOf(year, values));
      await run(tx, this.repo.upsertRegionalValues(year, values));
      await run(tx, this.audit.record({
        action: 'billing.regional_values.set',
        target: { type: 'billing_regional_value', id: String(year) },
        before: { values: before.map((b) => ({ region: b.region, district: b.district, block: b.block, land_value_per_m2: b.landValuePerM2 })) },
        after: { values },
      }));
      return { written: values.length };
    });
  }

  /**
   * The regional land value (ارزش منطقه‌ای) per m² of a property's block in a Jalali year,
   * one round trip: the block's own value, else the year's newest tariff default
   * (`renewal.defaultLandValuePerM2`); null when the property is unknown or the year has
   * neither. For readers outside billing (the calculators).
   */
  async landValueForProperty(renewalCode: string, year: number, em: EntityManager = this.em): Promise<LandValueLookup | null> {
    assertJalaliYear(year);
    const row = await run(em, this.repo.landValueFor(renewalCode, year));
    if (!row) return null;
    if (row.blockValue !== null) return { jalaliYear: year, landValuePerM2: row.blockValue, source: 'block', tariffVersion: null };
    if (row.defaultValue !== null) return { jalaliYear: year, landValuePerM2: row.defaultValue, source: 'default', tariffVersion: row.tariffVersion };
    return null;
  }
}

export interface LandValueLookup {
  jalaliYear: number;
  /** Integer Rials per m². */
  landValuePerM2: number;
  /** `block`: the block's own value for the year; `default`: the year's tariff default. */
  source: 'block' | 'default';
  /** The billing tariff version the default came from (source `default`). */
  tariffVersion: number | null;
}

export function tariffDto(t: Tariff): TariffDto {
  return {
    id: t.id,
    jalaliYear: t.jalaliYear,
    version: t.version,
    note: t.note,
    createdAt: t.createdAt.toISOString(),
    renewal: t.renewal,
    waste: t.waste,
    guild: t.guild,
    penalty: t.penalty,
    discount: t.discount,
    inquiry: t.inquiry ?? null,
  };
}
