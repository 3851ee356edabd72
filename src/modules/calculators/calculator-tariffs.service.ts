import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { FieldError } from '@app/common';
import { toJalali } from '@app/iran';
import { AuditService } from '../audit/audit.service';
import { CalculatorErrors } from './calculators.errors';
import {
  BUILDING_USES,
  BuildingUse,
  CALCULATOR_YEAR_RANGE,
  DEFAULT_TARIFF_YEAR,
  DEFAULT_TARIFFS,
  DEFAULT_TARIFFS_1405,
  RateBand,
  TariffTables,
  validateTariffTables,
} from './domain';
import { CalculatorTariffDto, CalculatorTariffVersionDto, CalculatorTariffYearDto } from './dto/tariff-admin.dto';
import { CalculatorTariff } from './entities/calculator-tariff.entity';
import { run } from '../../database/sql';
import { CalculatorTariffsRepository } from './calculator-tariffs.repository';

/** The current Jalali year (Asia/Tehran). */
export function currentJalaliYear(now = new Date()): number {
  return toJalali(now).jy;
}

export function assertCalculatorYear(year: number): void {
  if (!Number.isInteger(year) || year < CALCULATOR_YEAR_RANGE.min || year > CALCULATOR_YEAR_RANGE.max) {
    throw CalculatorErrors.CALC_INPUT_INVALID({
      fieldErrors: [{ field: 'jalaliYear', code: 'YEAR_INVALID', message: { fa: 'سال شمسی باید بین ۱۳۰۰ و ۱۵۰۰ باشد.', en: 'jalaliYear must be between 1300 and 1500.' } }],
    });
  }
}

/** The tables a calculation uses: the newest version of a year. */
export interface CurrentTables {
  id: string;
  jalaliYear: number;
  version: number;
  tables: TariffTables;
}

/**
 * The calculators' tariff and coefficient tables as versioned master data: one row per
 * version, never edited in place; the newest version of a year is current.
 */
@Injectable()
export class CalculatorTariffsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    private readonly repo: CalculatorTariffsRepository,
  ) {}

  /**
   * Start-up step (idempotent): tables for the current Jalali year when it has none — a copy
   * of the newest version of the latest earlier year, else the demo book (1405) carried
   * to the year. Returns the year created, or null.
   */
  async ensureDefaults(em: EntityManager, now = new Date()): Promise<number | null> {
    const year = currentJalaliYear(now);
    if (await em.count(CalculatorTariff, { jalaliYear: year })) return null;
    const earlier = await em.findOne(CalculatorTariff, { jalaliYear: { $lt: year } }, { orderBy: { jalaliYear: 'desc', version: 'desc' } });
    const source: TariffTables = earlier?.tables ?? DEFAULT_TARIFFS[year] ?? DEFAULT_TARIFFS_1405;
    const tables: TariffTables = { ...structuredClone(source), jalaliYear: year };
    const note = earlier
      ? `copied from ${earlier.jalaliYear} v${earlier.version}`
      : year === DEFAULT_TARIFF_YEAR || DEFAULT_TARIFFS[year]
        ? 'default'
        : `default (the ${DEFAULT_TARIFF_YEAR} demo book carried to ${year})`;
    try {
      await this.createFirst(em, year, tables, note);
    } catch (err) {
      // another process (a second instance starting at the same time) made it first
      if (err instanceof UniqueConstraintViolationException) return null;
      throw err;
    }
    return year;
  }

  private async createFirst(em: EntityManager, year: number, tables: TariffTables, note: string): Promise<void> {
    await em.transactional(async (tx) => {
      const row = tx.create(CalculatorTariff, { jalaliYear: year, version: 1, tables, note });
      tx.persist(row);
      await run(tx, this.audit.record({
        action: 'calculators.tariff.created',
        target: { type: 'calculator_tariff', id: row.id },
        after: { jalaliYear: year, version: 1, versionId: row.id, note },
      }));
    });
  }

  /** The current tables of a year for a calculation (one small query). */
  async tablesFor(year: number, em: EntityManager = this.em): Promise<CurrentTables> {
    assertCalculatorYear(year);
    const row = await run(em, this.repo.latest(year));
    if (!row) throw CalculatorErrors.CALC_TARIFF_YEAR_NOT_FOUND({ extensions: { jalaliYear: year } });
    return { id: row.id, jalaliYear: year, version: row.version, tables: row.tables };
  }

  /** The current version with its tables and the list of every version, newest first. */
  async year(year: number): Promise<CalculatorTariffYearDto> {
    assertCalculatorYear(year);
    const rows = await this.em.find(CalculatorTariff, { jalaliYear: year }, { orderBy: { version: 'desc' } });
    if (!rows.length) throw CalculatorErrors.CALC_TARIFF_YEAR_NOT_FOUND({ extensions: { jalaliYear: year } });
    return { jalaliYear: year, current: tariffDto(rows[0]), versions: rows.map(versionDto) };
  }

  /** The problems of proposed tables for a year (validateTariffTables plus the year). */
  check(year: number, tables: TariffTables): void {
    assertCalculatorYear(year);
    let problems: FieldError[];
    try {
      problems = validateTariffTables(tables);
    } catch {
      // a document so malformed the validator could not walk it
      problems = [{ field: 'tables', code: 'MALFORMED', message: { fa: 'ساختار جدول‌ها نادرست است.', en: 'the tables document is malformed.' } }];
    }
    problems = problems.map((p) => ({ ...p, field: `tables.${p.field}` }));
    if (tables && typeof tables === 'object' && tables.jalaliYear !== year) {
      problems.push({
        field: 'tables.jalaliYear',
        code: 'YEAR_MISMATCH',
        message: { fa: `سال جدول‌ها باید ${year} (سال مسیر) باشد.`, en: `must equal the year in the path (${year}).` },
      });
    }
    if (problems.length) throw CalculatorErrors.TARIFF_TABLES_INVALID({ fieldErrors: problems });
  }

  /**
   * Saves proposed tables as the next version of the year (validated, audited with the old
   * and new version ids). Earlier versions stay as they were.
   */
  async update(year: number, tables: TariffTables, note: string): Promise<CalculatorTariffYearDto> {
    this.check(year, tables);
    await this.em.fork().transactional(async (tx) => {
      // one writer per year at a time, so versions stay 1, 2, 3, … without a unique-violation race
      await run(tx, this.repo.lockYear(year));
      const prev = await run(tx, this.repo.latestVersion(year));
      const version = (prev?.version ?? 0) + 1;
      const row = tx.create(CalculatorTariff, { jalaliYear: year, version, tables: canonicalTables(tables), note });
      tx.persist(row);
      await run(tx, this.audit.record({
        action: 'calculators.tariff.updated',
        target: { type: 'calculator_tariff', id: row.id },
        before: prev ? { jalaliYear: year, version: prev.version, versionId: prev.id } : null,
        after: { jalaliYear: year, version, versionId: row.id, note },
        metadata: { previousVersionId: prev?.id ?? null, newVersionId: row.id },
      }));
    });
    return this.year(year);
  }
}

function versionDto(t: CalculatorTariff): CalculatorTariffVersionDto {
  return { id: t.id, jalaliYear: t.jalaliYear, version: t.version, note: t.note, createdAt: t.createdAt.toISOString() };
}

function tariffDto(t: CalculatorTariff): CalculatorTariffDto {
  return { ...versionDto(t), tables: t.tables };
}

/**
 * The members of validated tables the calculators read, and nothing else: members a client
 * added (typos, notes, anything) are not stored with the version.
 */
export function canonicalTables(t: TariffTables): TariffTables {
  const text = (v: { fa: string; en: string }) => ({ fa: v.fa, en: v.en });
  const bands = (list: RateBand[]) => list.map((b) => ({ from: b.from, to: b.to, rate: b.rate }));
  const byUse = <T,>(m: Partial<Record<BuildingUse, T>>, f: (v: T) => T) => {
    const out: Partial<Record<BuildingUse, T>> = {};
    for (const use of BUILDING_USES) if (m[use] !== undefined) out[use] = f(m[use]);
    return out;
  };
  const a = t.floorAllowances;
  return {
    jalaliYear: t.jalaliYear,
    title: text(t.title),
    densityFee: {
      article: t.densityFee.article,
      title: text(t.densityFee.title),
      byUse: byUse(t.densityFee.byUse, bands) as Record<BuildingUse, RateBand[]>,
    },
    permitFees: t.permitFees.map((i) => ({ key: i.key, article: i.article, title: text(i.title), basis: i.basis, byUse: byUse(i.byUse, bands) })),
    parkingDeficit: {
      article: t.parkingDeficit.article,
      title: text(t.parkingDeficit.title),
      spaceAreaM2: t.parkingDeficit.spaceAreaM2,
      coefficientByUse: byUse(t.parkingDeficit.coefficientByUse, (v) => v) as Record<BuildingUse, number>,
    },
    floorAllowances: {
      article: a.article,
      stairsM2PerStorey: a.stairsM2PerStorey,
      elevatorShaftM2PerStorey: a.elevatorShaftM2PerStorey,
      elevatorFromStoreys: a.elevatorFromStoreys,
      balconyPercentOfFootprint: a.balconyPercentOfFootprint,
      roofStructureM2: a.roofStructureM2,
      basementPercentOfNetArea: a.basementPercentOfNetArea,
    },
  };
}
