import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Actor } from '@app/common';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { CertificatesService } from '../certificates/certificates.service';
import { StorageService } from '../documents/storage.service';
import { InquiriesService } from '../inquiries/inquiries.service';
import { InquiryDocumentsService } from '../inquiries/inquiry-documents.service';
import { DeskPartiesService } from './desk-parties.service';
import { DeskSteps } from './desk-steps.service';
import { iso } from './desk-rules';
import { DeskCaseDto, DeskInquiryDto } from './dto/desk.dto';
import { DeskCase } from './entities/desk-case.entity';

/** An inquiry's page at the desk: the inquiry, its document links, the desk case (holder, review, finances, visit, answer). */
@Injectable()
export class DeskDetailService {
  constructor(
    private readonly em: EntityManager,
    private readonly inquiries: InquiriesService,
    private readonly documents: InquiryDocumentsService,
    private readonly certificates: CertificatesService,
    private readonly steps: DeskSteps,
    private readonly storage: StorageService,
    private readonly identities: DeskPartiesService,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  async detail(actor: Actor, id: string): Promise<DeskInquiryDto> {
    const row = await this.inquiries.findVisible(actor, id);
    const [inquiry, parties, documents, deskCase, cert] = await Promise.all([
      this.inquiries.render(this.em.fork(), row),
      this.identities.parties(actor, row),
      this.documents.urls(actor, id),
      this.em.fork().findOne(DeskCase, { inquiryId: row.id }),
      this.certificates.forInquiry(row.id, this.em.fork()),
    ]);
    return { inquiry, parties, documents, desk: await this.caseDto(deskCase, cert?.number ?? null) };
  }

  private async caseDto(c: DeskCase | null, certificateNumber: string | null): Promise<DeskCaseDto> {
    const claimedByName = c?.claimedBy ? ((await this.steps.staffMember(c.claimedBy))?.fullName ?? null) : null;
    const ttl = this.config.documents.urlTtlSeconds;
    return {
      claimedBy: c?.claimedBy ?? null,
      claimedByName,
      claimedAt: iso(c?.claimedAt),
      review: c?.review ?? null,
      reviewedAt: iso(c?.reviewedAt),
      finances: c?.finances ?? null,
      visit: c?.visit
        ? {
            findings: c.visit.findings,
            matchesRecords: c.visit.matchesRecords,
            at: c.visit.at,
            photos: await Promise.all(
              c.visit.photos.map(async (p, i) => ({
                url: await this.storage.presignedGetUrl(p.objectKey, ttl, `visit-${i + 1}.jpg`),
                sha256: p.sha256,
                expiresAt: new Date(Date.now() + ttl * 1000).toISOString(),
              })),
            ),
          }
        : null,
      preparedBy: c?.preparedBy ?? null,
      preparedAt: iso(c?.preparedAt),
      overdueAt: iso(c?.overdueAt),
      certificateNumber,
    };
  }
}
