import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { formatJalali, maskNationalId } from '@app/iran';
import { run } from '../../database/sql';
import type { AnswerContent } from '../certificates/domain/answer-content';
import { InquiryType } from '../inquiries/domain/inquiry-status';
import type { InquiryRow } from '../inquiries/inquiry-workflow.service';
import { CitizenAuthService } from '../membership/citizen-auth.service';
import { RegionsService } from '../membership/regions.service';
import { PropertiesService, type PropertyInquiryRecords } from '../properties/properties.service';
import { DeskSteps } from './desk-steps.service';
import type { DeskCase } from './entities/desk-case.entity';

/** What the answer says about the property, read before the approval's transaction (its owners' services read on their own connections). */
export interface AnswerFacts {
  records: PropertyInquiryRecords | null;
  zoning: Awaited<ReturnType<PropertiesService['zoning']>> | null;
  widening: Awaited<ReturnType<PropertiesService['streetWidening']>> | null;
  region: Awaited<ReturnType<RegionsService['get']>>;
}

type Issued = { number: string; issuedAt: Date; validUntil: Date };

/** The content of an inquiry's answer letter, from the inquiry, its desk case and the owners' facts. */
@Injectable()
export class AnswerContentBuilder {
  constructor(
    private readonly em: EntityManager,
    private readonly properties: PropertiesService,
    private readonly regions: RegionsService,
    private readonly citizens: CitizenAuthService,
    private readonly steps: DeskSteps,
  ) {}

  async facts(inquiry: Pick<InquiryRow, 'renewalCode' | 'region'>): Promise<AnswerFacts> {
    const [records, zoning, widening, region] = await Promise.all([
      run(this.em, this.properties.inquiryRecords(inquiry.renewalCode)),
      this.properties.zoning(inquiry.renewalCode).catch(() => null),
      this.properties.streetWidening(inquiry.renewalCode).catch(() => null),
      this.regions.get(inquiry.region),
    ]);
    return { records, zoning, widening, region };
  }

  /** The letter's content given its number and dates (the certificates module numbers it); reads the applicant in `tx`. */
  async content(tx: EntityManager, inquiry: InquiryRow, c: DeskCase, facts: AnswerFacts, approvedBy: string): Promise<(issued: Issued) => AnswerContent> {
    const [preparer, approver] = await Promise.all([this.steps.staffMember(c.preparedBy!), this.steps.staffMember(approvedBy)]);
    const applicant = await run(tx, this.citizens.member(inquiry.citizenId));
    const { records, zoning, widening, region } = facts;
    const summary = records?.summary as unknown as Record<string, unknown> | undefined;
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return ({ number: n, issuedAt, validUntil }): AnswerContent => ({
      kind: 'inquiry_answer',
      version: 1,
      number: n,
      inquiryType: inquiry.type,
      trackingCode: inquiry.trackingCode ?? '',
      issuedAt: issuedAt.toISOString(),
      issuedAtJalali: formatJalali(issuedAt),
      validUntil: validUntil.toISOString(),
      validUntilJalali: formatJalali(validUntil),
      addressee:
        inquiry.type === InquiryType.Office && inquiry.organization
          ? { kind: 'office', organizationKind: inquiry.organization.kind, name: inquiry.organization.name, letterNumber: inquiry.organization.letterNumber, letterDate: inquiry.organization.letterDate }
          : { kind: 'notary', notaryOfficeNumber: inquiry.notaryOfficeNumber ?? '' },
      applicant: {
        fullName: applicant ? `${applicant.firstName} ${applicant.lastName}` : '',
        nationalIdMasked: applicant ? maskNationalId(applicant.nationalId) : '',
        role: inquiry.applicantRole,
      },
      property: {
        renewalCode: inquiry.renewalCode,
        region: inquiry.region,
        address: (summary?.address as string | undefined) ?? null,
        landAreaM2: num(summary?.landArea),
        buildingAreaM2: num(summary?.buildingArea),
        use: (summary?.use as string | undefined) ?? null,
        floors: num(summary?.floors),
        units: num(summary?.units),
      },
      owners: (records?.owners ?? []).map((o) => ({ fullName: o.fullName, nationalIdMasked: maskNationalId(o.nationalId), sharePercent: o.sharePercent })),
      finances: {
        settled: true,
        paidBills: (c.finances?.paidBills ?? []).map((b) => ({ billId: b.billId, paymentId: b.paymentId, amountRials: b.amountRials, paidAtJalali: formatJalali(new Date(b.paidAt)) })),
        paidTotalRials: (c.finances?.paidBills ?? []).reduce((s, b) => s + b.amountRials, 0),
      },
      zoning: zoning ? { zoneCode: zoning.zoneCode, zoneName: zoning.zoneName, planName: zoning.planName } : null,
      streetWidening: widening
        ? { affected: widening.affected, affectedAreaM2: widening.affectedAreaM2, sharePercent: widening.sharePercent, plans: widening.plans.map((p) => p.planName) }
        : null,
      visit: c.visit ? { atJalali: formatJalali(new Date(c.visit.at)), findings: c.visit.findings, matchesRecords: c.visit.matchesRecords } : null,
      issuer: {
        region: inquiry.region,
        regionName: region.name,
        preparedBy: preparer?.fullName ?? '',
        approvedBy: approver?.fullName ?? '',
        approverTitle: titleOf(approver?.roles ?? [], region.name),
      },
      note: c.answerNote ?? null,
    });
  }
}

/** The approver's real title on the letter: a region manager manages the region; anyone else (an admin) signs as what they are. */
export function titleOf(roles: string[], regionName: string): string {
  if (roles.includes('region_manager')) return `مدیر ${regionName}`;
  if (roles.includes('admin')) return 'مدیر سامانه خدمات شهری شهرداری قزوین';
  return 'کارشناس میز خدمت';
}
