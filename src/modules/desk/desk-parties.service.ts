import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Actor } from '@app/common';
import { maskMobile, maskNationalId } from '@app/iran';
import { runAll } from '../../database/sql';
import type { InquiryRow } from '../inquiries/inquiry-workflow.service';
import { CitizenAuthService } from '../membership/citizen-auth.service';
import { PropertiesService } from '../properties/properties.service';
import { DeskPartiesDto } from './dto/desk.dto';

/**
 * Who the case is about, as the desk shows it: the applicant (name, national ID, mobile) and
 * the property's owners. Unmasked for staff of the inquiry's region and admins, who check the
 * national card image against them; masked for anyone else.
 */
@Injectable()
export class DeskPartiesService {
  constructor(
    private readonly em: EntityManager,
    private readonly citizens: CitizenAuthService,
    private readonly properties: PropertiesService,
  ) {}

  async parties(actor: Actor, inquiry: Pick<InquiryRow, 'citizenId' | 'region' | 'renewalCode'>): Promise<DeskPartiesDto> {
    const [member, records] = await runAll(this.em, [this.citizens.member(inquiry.citizenId), this.properties.inquiryRecords(inquiry.renewalCode)]);
    const full = seesIdentities(actor, inquiry.region);
    const nid = (v: string) => (full ? v : maskNationalId(v));
    return {
      masked: !full,
      applicant: member
        ? { fullName: `${member.firstName} ${member.lastName}`.trim(), nationalId: nid(member.nationalId), mobile: full ? member.mobile : maskMobile(member.mobile) }
        : null,
      owners: (records?.owners ?? []).map((o) => ({ fullName: o.fullName, nationalId: nid(o.nationalId), sharePercent: o.sharePercent })),
    };
  }
}

/** Staff of this region (any desk or inspection role) and admins see identities in full. */
export function seesIdentities(actor: Actor, region: number): boolean {
  if (actor.type !== 'staff') return false;
  if (actor.roles?.includes('admin')) return true;
  return actor.regions?.includes(region) ?? false;
}
