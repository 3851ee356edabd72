import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Actor, assertRegionAccess } from '@app/common';
import { normalizeNationalId } from '@app/iran';
import { AuditService } from '../audit/audit.service';
import {
  CertificateDto,
  CertificateInputDto,
  OwnerDto,
  PropertyAdminDto,
  ReplaceOwnersDto,
  UpdatePropertyDto,
  UpdateZoneDto,
  ZoneAdminDto,
  ZoneRulesInputDto,
} from './dto/admin.dto';
import { PropertyCertificate } from './entities/property-certificate.entity';
import { PropertyOwner } from './entities/property-owner.entity';
import { Property } from './entities/property.entity';
import { Zone } from './entities/zone.entity';
import { PropertiesErrors } from './properties.errors';
import { PropertiesService } from './properties.service';
import { issueToFieldError, ownerListIssues, validateZoneRules } from './property-import.service';
import { run } from '../../database/sql';

/** Members of a property an admin (or the region's manager) may edit. */
const EDITABLE = [
  'address',
  'postalCode',
  'plateMain',
  'plateSub',
  'landArea',
  'buildingArea',
  'use',
  'floors',
  'units',
  'constructionYear',
  'structureType',
  'accessRoadWidth',
  'frontage',
  'zoneCode',
] as const satisfies ReadonlyArray<keyof UpdatePropertyDto & keyof Property>;

type Editable = Pick<Property, (typeof EDITABLE)[number]>;

/**
 * Admin edits of the registry: zone rules (admins), and properties, owners and
 * certificate history (admins, or the manager of the property's region). Each edit runs in
 * one transaction with its audit entry (before/after).
 */
@Injectable()
export class PropertyAdminService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    private readonly properties: PropertiesService,
  ) {}

  // -------------------------------------------------------------------------- zones

  async getZone(code: string): Promise<ZoneAdminDto> {
    const zone = await this.em.findOne(Zone, { code });
    if (!zone) throw PropertiesErrors.ZONE_CODE_NOT_FOUND();
    return toZoneDto(zone);
  }

  async updateZone(code: string, dto: UpdateZoneDto): Promise<ZoneAdminDto> {
    const approvalDate = dto.approvalDate; // Jalali YYYY/MM/DD: the DTO's @IsCalendarDay({ as: 'jalali' }) converted it
    let rules: Zone['rules'] | undefined;
    if (dto.rules !== undefined) {
      const checked = validateZoneRules(dto.rules, 'rules');
      if (!checked.rules) throw PropertiesErrors.ZONE_RULES_INVALID({ fieldErrors: checked.issues.map((i) => issueToFieldError(i)) });
      rules = checked.rules;
    }
    const zone = await this.em.transactional(async (tx) => {
      const zone = await tx.findOne(Zone, { code }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!zone) throw PropertiesErrors.ZONE_CODE_NOT_FOUND();
      const before = zoneAudit(zone);
      if (dto.name !== undefined) zone.name = dto.name;
      if (dto.planName !== undefined) zone.planName = dto.planName;
      if (approvalDate !== undefined) zone.approvalDate = approvalDate;
      if (rules !== undefined) zone.rules = rules;
      const after = zoneAudit(zone);
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        zone.updatedAt = new Date();
        await run(tx, this.audit.record({ action: 'zone.updated', target: { type: 'zone', id: zone.code }, before, after }));
      }
      return zone;
    });
    return toZoneDto(zone);
  }

  // -------------------------------------------------------------------------- properties

  async getProperty(actor: Actor, renewalCode: string): Promise<PropertyAdminDto> {
    const property = await this.load(this.em, actor, renewalCode, false);
    return toPropertyDto(property);
  }

  async updateProperty(actor: Actor, renewalCode: string, dto: UpdatePropertyDto): Promise<PropertyAdminDto> {
    const property = await this.em.transactional(async (tx) => {
      const property = await this.load(tx, actor, renewalCode, true);
      const before = editable(property);
      const changes: Partial<Editable> = {};
      for (const key of EDITABLE) {
        if (dto[key] !== undefined) (changes as Record<string, unknown>)[key] = dto[key];
      }
      tx.assign(property, changes);
      const after = editable(property);
      const changed = EDITABLE.filter((k) => before[k] !== after[k]);
      if (changed.length) {
        await run(tx, this.audit.record({
          action: 'property.updated',
          target: { type: 'property', id: property.renewalCode },
          before: pick(before, changed),
          after: pick(after, changed),
        }));
      }
      return property;
    });
    return toPropertyDto(property);
  }

  async replaceOwners(actor: Actor, renewalCode: string, dto: ReplaceOwnersDto): Promise<PropertyAdminDto> {
    const owners = dto.owners.map((o) => ({ ...o, nationalId: normalizeNationalId(o.nationalId) ?? o.nationalId }));
    const issues = ownerListIssues(owners);
    if (issues.length) {
      throw PropertiesErrors.OWNER_SHARES_INVALID({
        fieldErrors: issues.map((i) => issueToFieldError(i, 'owners')),
        extensions: { shareSum: Math.round(owners.reduce((s, o) => s + o.sharePercent, 0) * 10000) / 10000 },
      });
    }
    const property = await this.em.transactional(async (tx) => {
      const property = await this.load(tx, actor, renewalCode, true);
      const before = { owners: property.owners.getItems().map(toOwnerDto) };
      property.owners.removeAll();
      for (const o of owners) {
        property.owners.add(tx.create(PropertyOwner, { property, nationalId: o.nationalId, fullName: o.fullName, sharePercent: o.sharePercent }));
      }
      await run(tx, this.audit.record({
        action: 'property.owners.replaced',
        target: { type: 'property', id: property.renewalCode },
        before,
        after: { owners: owners.map((o) => ({ nationalId: o.nationalId, fullName: o.fullName, sharePercent: o.sharePercent })) },
      }));
      return property;
    });
    return toPropertyDto(property);
  }

  async addCertificate(actor: Actor, renewalCode: string, dto: CertificateInputDto): Promise<PropertyAdminDto> {
    const issueDate = dto.issueDate; // Gregorian YYYY-MM-DD: the DTO's @IsCalendarDay() converted it
    const property = await this.em.transactional(async (tx) => {
      const property = await this.load(tx, actor, renewalCode, true);
      if (await tx.count(PropertyCertificate, { requestNumber: dto.requestNumber })) throw PropertiesErrors.CERTIFICATE_DUPLICATE();
      const certificate = tx.create(PropertyCertificate, {
        property,
        kind: dto.kind,
        requestNumber: dto.requestNumber,
        jalaliYear: dto.jalaliYear,
        issueDate,
      });
      property.certificates.add(certificate);
      await run(tx, this.audit.record({
        action: 'property.certificate.added',
        target: { type: 'property', id: property.renewalCode },
        before: null,
        after: toCertificateDto(certificate),
      }));
      return property;
    });
    return toPropertyDto(property);
  }

  async deleteCertificate(actor: Actor, renewalCode: string, requestNumber: string): Promise<void> {
    await this.em.transactional(async (tx) => {
      const property = await this.load(tx, actor, renewalCode, true);
      const certificate = property.certificates.getItems().find((c) => c.requestNumber === requestNumber);
      if (!certificate) throw PropertiesErrors.CERTIFICATE_NOT_FOUND();
      property.certificates.remove(certificate);
      await run(tx, this.audit.record({
        action: 'property.certificate.deleted',
        target: { type: 'property', id: property.renewalCode },
        before: toCertificateDto(certificate),
        after: null,
      }));
    });
  }

  /**
   * The property with its owners and certificates, locked for the edit when `lock`; a
   * property outside the caller's regions answers 404 like a missing one would.
   */
  private async load(em: EntityManager, actor: Actor, renewalCode: string, lock: boolean): Promise<Property> {
    const code = this.properties.parseCode(renewalCode);
    const property = await em.findOne(Property, { renewalCode: code.canonical }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
    if (!property) throw PropertiesErrors.PROPERTY_NOT_FOUND();
    assertRegionAccess(actor, property.region);
    await em.populate(property, ['owners', 'certificates']);
    return property;
  }
}

function editable(p: Property): Editable {
  const out = {} as Record<string, unknown>;
  for (const key of EDITABLE) out[key] = p[key] ?? null;
  return out as Editable;
}

function pick<T extends object>(obj: T, keys: ReadonlyArray<keyof T>): Partial<T> {
  return Object.fromEntries(keys.map((k) => [k, obj[k]])) as Partial<T>;
}

/** Audit snapshot of a zone (`zoneCode`, not `code`: the audit log redacts members named `code`). */
function zoneAudit(z: Zone) {
  return { zoneCode: z.code, name: z.name, planName: z.planName, approvalDate: z.approvalDate, rules: z.rules };
}

function toZoneDto(z: Zone): ZoneAdminDto {
  return {
    code: z.code,
    name: z.name,
    rules: z.rules as ZoneRulesInputDto,
    planName: z.planName,
    approvalDate: z.approvalDate,
    updatedAt: z.updatedAt.toISOString(),
  };
}

function toOwnerDto(o: PropertyOwner): OwnerDto {
  return { nationalId: o.nationalId, fullName: o.fullName, sharePercent: Number(o.sharePercent) };
}

function isoDate(v: unknown): string {
  return v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
}

function toCertificateDto(c: PropertyCertificate): CertificateDto {
  return { kind: c.kind, requestNumber: c.requestNumber, jalaliYear: c.jalaliYear, issueDate: isoDate(c.issueDate) };
}

function toPropertyDto(p: Property): PropertyAdminDto {
  const certificates = p.certificates.getItems().map(toCertificateDto);
  certificates.sort((a, b) => a.issueDate.localeCompare(b.issueDate) || a.requestNumber.localeCompare(b.requestNumber));
  return {
    renewalCode: p.renewalCode,
    region: p.region,
    address: p.address,
    postalCode: p.postalCode ?? null,
    plateMain: p.plateMain ?? null,
    plateSub: p.plateSub ?? null,
    landArea: Number(p.landArea),
    buildingArea: Number(p.buildingArea),
    use: p.use,
    floors: p.floors,
    units: p.units,
    constructionYear: p.constructionYear ?? null,
    structureType: p.structureType,
    accessRoadWidth: p.accessRoadWidth ?? null,
    frontage: p.frontage ?? null,
    zoneCode: p.zoneCode ?? null,
    owners: p.owners
      .getItems()
      .map(toOwnerDto)
      .sort((a, b) => b.sharePercent - a.sharePercent || a.fullName.localeCompare(b.fullName)),
    certificates,
    updatedAt: p.updatedAt.toISOString(),
  };
}
