import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Actor, canAccessRegion } from '@app/common';
import { runAll } from '../../../database/sql';
import { NotificationsService } from '../../notifications/notifications.service';
import { CitizenAuthService } from '../citizen-auth.service';
import { CitizenAccountDto } from '../dto/citizen-auth.dto';
import { Citizen } from '../entities/citizen.entity';
import { MembershipErrors } from '../membership.errors';
import { DeskIdentityVerificationDto } from './desk-identity.dto';

/**
 * In-person verification at a region service desk: a clerk with the citizen's national ID
 * card in front of them verifies the member holding that national ID. A member belongs to no
 * region of its own; the region is the desk where the citizen appeared, given in the request,
 * and it must be one of the clerk's regions (administrators: any) — a clerk of another region
 * is refused (IDENTITY_DESK_REGION_FORBIDDEN). Region, card serial and reason are audited and
 * the member is told by SMS.
 */
@Injectable()
export class DeskIdentityService {
  constructor(
    private readonly em: EntityManager,
    private readonly citizens: CitizenAuthService,
    private readonly notifications: NotificationsService,
  ) {}

  async verify(actor: Actor, dto: DeskIdentityVerificationDto): Promise<CitizenAccountDto> {
    if (!canAccessRegion(actor, dto.region)) throw MembershipErrors.IDENTITY_DESK_REGION_FORBIDDEN();
    return this.em.fork().transactional(async (tx) => {
      const citizen = await tx.findOne(Citizen, { nationalId: dto.nationalId });
      if (!citizen) throw MembershipErrors.CITIZEN_NOT_FOUND();
      const wasVerified = !!citizen.identityVerifiedAt;
      const profile = await this.citizens.markVerified(
        citizen.id,
        'desk',
        { region: dto.region, cardSerial: dto.cardSerial.toUpperCase(), reason: dto.reason, staffId: actor.id },
        tx,
      );
      if (!wasVerified) {
        await runAll(tx, this.notifications.queueSms({ mobile: citizen.mobile, template: 'identity_verified_desk', params: { region: String(dto.region) } }).queries);
      }
      return { ...profile, active: citizen.active };
    });
  }
}
