import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Actor, assertRegionAccess } from '@app/common';
import { AuditService } from '../audit/audit.service';
import { StaffDto } from './dto/staff-login.dto';
import { StaffUser } from './entities/staff-user.entity';
import { toStaffDto } from './staff.service';
import { RegionDto, UpdateRegionDto } from './dto/organization.dto';
import { Region } from './entities/region.entity';
import { MembershipErrors } from './membership.errors';
import { RegionRepository } from './region.repository';
import { run } from '../../database/sql';

/** Regions 1-3 and their service desks (the guide's contact section). */
@Injectable()
export class RegionsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    private readonly repository: RegionRepository,
  ) {}

  /**
   * Start-up step: the three regions with their service-desk phones exactly as the
   * municipality's two citizen guides print them (the guides disagree; admins correct
   * them with PATCH /api/v1/admin/regions/{id}). Existing rows are left alone.
   */
  async ensureDefaults(em: EntityManager = this.em.fork()): Promise<void> {
    await run(em, this.repository.ensureDefaults('شنبه تا چهارشنبه ۷:۳۰ تا ۱۴:۳۰'));
  }

  async list(): Promise<RegionDto[]> {
    return (await this.em.find(Region, { active: true }, { orderBy: { id: 'asc' } })).map(toDto);
  }

  /** The desk of one region (used by other modules, e.g. "visit region 2's desk"). */
  async get(id: number): Promise<RegionDto> {
    const region = await this.em.findOne(Region, { id });
    if (!region) throw MembershipErrors.REGION_NOT_FOUND();
    return toDto(region);
  }

  /** Staff bound to a region, for its own staff (and admins). */
  async team(actor: Actor, id: number): Promise<StaffDto[]> {
    assertRegionAccess(actor, id);
    await this.get(id);
    const rows = await this.em.find(StaffUser, { regions: { $contains: [id] }, active: true }, { orderBy: { username: 'asc' } });
    return rows.map(toStaffDto);
  }

  async update(id: number, dto: UpdateRegionDto): Promise<RegionDto> {
    return this.em.fork().transactional(async (tx) => {
      const region = await tx.findOne(Region, { id });
      if (!region) throw MembershipErrors.REGION_NOT_FOUND();
      const before = toDto(region);
      tx.assign(region, Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)));
      await run(tx, this.audit.record({ action: 'region.updated', target: { type: 'region', id }, before, after: toDto(region) }));
      return toDto(region);
    });
  }
}

function toDto(r: Region): RegionDto {
  return { id: r.id, name: r.name, deskPhones: r.deskPhones, deskAddress: r.deskAddress ?? null, deskHours: r.deskHours ?? null };
}
