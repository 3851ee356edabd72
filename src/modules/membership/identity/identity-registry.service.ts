import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { normalizeMobile, normalizePersianText } from '@app/iran';
import { pageMeta, pageOffset } from '@app/common';
import { run, runPage } from '../../../database/sql';
import { AuditService } from '../../audit/audit.service';
import { MembershipErrors } from '../membership.errors';
import { CreateRegistryPersonDto, RegistryPersonDto, RegistryPersonPageDto, RegistryPersonQueryDto, UpdateRegistryPersonDto } from './identity-registry.dto';
import { IdentityRegistryRepository, RegistryPersonFields, RegistryPersonRow } from './identity-registry.repository';
import { IdentityVerificationService } from '../identity-verification.service';

/** `1370/6/1` → `1370/06/01`. */
export function canonicalJalali(date: string): string {
  const [y, m, d] = date.split('/');
  return `${y}/${m.padStart(2, '0')}/${d.padStart(2, '0')}`;
}

/**
 * The sandbox identity registry (IDENTITY_PROVIDER=sandbox): administrators list, add,
 * edit and remove its people; every change is audited and forgets the cached answers.
 */
@Injectable()
export class IdentityRegistryService {
  constructor(
    private readonly em: EntityManager,
    private readonly repository: IdentityRegistryRepository,
    private readonly audit: AuditService,
    private readonly verification: IdentityVerificationService,
  ) {}

  async page(q: RegistryPersonQueryDto): Promise<RegistryPersonPageDto> {
    const { limit, offset } = pageOffset(q);
    const page = await runPage(this.em, (l, o) => this.repository.page(l, o, q.search), limit, offset);
    return { items: page.items.map(toDto), meta: pageMeta(q, page.total) };
  }

  async get(nationalId: string): Promise<RegistryPersonDto> {
    const row = await run(this.em, this.repository.byNationalId(nationalId));
    if (!row) throw MembershipErrors.IDENTITY_REGISTRY_PERSON_NOT_FOUND();
    return toDto(row);
  }

  /** Adds a person, or replaces the entry with the same national ID. */
  async put(dto: CreateRegistryPersonDto): Promise<RegistryPersonDto> {
    return this.em.fork().transactional(async (tx) => {
      const row = await run(tx, this.repository.upsert(fields(dto)));
      await run(tx, this.audit.record({ action: 'identity.registry.put', target: { type: 'identity_registry_person', id: row.id }, after: auditView(row) }));
      this.verification.forget();
      return toDto(row);
    });
  }

  async update(nationalId: string, dto: UpdateRegistryPersonDto): Promise<RegistryPersonDto> {
    return this.em.fork().transactional(async (tx) => {
      const before = await run(tx, this.repository.byNationalId(nationalId));
      if (!before) throw MembershipErrors.IDENTITY_REGISTRY_PERSON_NOT_FOUND();
      const row = (await run(
        tx,
        this.repository.update(nationalId, {
          mobile: dto.mobile === undefined ? undefined : dto.mobile === null ? null : normalizeMobile(dto.mobile),
          firstName: text(dto.firstName),
          lastName: text(dto.lastName),
          fatherName: text(dto.fatherName),
          birthDate: dto.birthDate === undefined ? undefined : canonicalJalali(dto.birthDate),
          alive: dto.alive,
          note: dto.note,
        }),
      ))!;
      await run(tx, this.audit.record({ action: 'identity.registry.updated', target: { type: 'identity_registry_person', id: row.id }, before: auditView(before), after: auditView(row) }));
      this.verification.forget();
      return toDto(row);
    });
  }

  async remove(nationalId: string): Promise<void> {
    await this.em.fork().transactional(async (tx) => {
      const before = await run(tx, this.repository.byNationalId(nationalId));
      if (!before || !(await run(tx, this.repository.remove(nationalId)))) throw MembershipErrors.IDENTITY_REGISTRY_PERSON_NOT_FOUND();
      await run(tx, this.audit.record({ action: 'identity.registry.removed', target: { type: 'identity_registry_person', id: before.id }, before: auditView(before) }));
    });
    this.verification.forget();
  }

  /** The demo seed: adds the people not listed yet (an administrator's edits stay). */
  async seed(people: CreateRegistryPersonDto[], em: EntityManager = this.em.fork()): Promise<number> {
    let added = 0;
    for (const p of people) if (await run(em, this.repository.insertIfAbsent(fields(p)))) added++;
    this.verification.forget();
    return added;
  }
}

function text(v: string | undefined): string | undefined {
  return v === undefined ? undefined : normalizePersianText(v);
}

function fields(dto: CreateRegistryPersonDto): RegistryPersonFields {
  return {
    nationalId: dto.nationalId,
    mobile: dto.mobile ? normalizeMobile(dto.mobile) : null,
    firstName: normalizePersianText(dto.firstName),
    lastName: normalizePersianText(dto.lastName),
    fatherName: normalizePersianText(dto.fatherName),
    birthDate: canonicalJalali(dto.birthDate),
    alive: dto.alive ?? true,
    note: dto.note ?? null,
  };
}

/** What the audit log keeps of an entry: whether it has a mobile and is alive; not the names, the birth date or the mobile. */
function auditView(r: RegistryPersonRow): Record<string, unknown> {
  return { hasMobile: r.mobile !== null, alive: r.alive };
}

function toDto(r: RegistryPersonRow): RegistryPersonDto {
  return {
    nationalId: r.nationalId,
    mobile: r.mobile,
    firstName: r.firstName,
    lastName: r.lastName,
    fatherName: r.fatherName,
    birthDate: r.birthDate,
    alive: r.alive,
    note: r.note,
    updatedAt: r.updatedAt.toISOString(),
  };
}
