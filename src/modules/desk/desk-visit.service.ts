import { Injectable, Logger } from '@nestjs/common';
import { Actor } from '@app/common';
import { formatJalali } from '@app/iran';
import { runAll } from '../../database/sql';
import { DocumentIntakeService, UploadedFileLike } from '../documents/document-intake.service';
import { StorageService } from '../documents/storage.service';
import { InquiryType } from '../inquiries/domain/inquiry-status';
import { InquiriesService } from '../inquiries/inquiries.service';
import type { InquiryRow } from '../inquiries/inquiry-workflow.service';
import { InquiryWorkflowService } from '../inquiries/inquiry-workflow.service';
import { DeskDetailService } from './desk-detail.service';
import { conflict, S } from './desk-rules';
import { DeskSteps } from './desk-steps.service';
import { DeskErrors } from './desk.errors';
import { DeskInquiryDto, VisitResultDto } from './dto/desk.dto';
import { VisitResult } from './entities/desk-case.entity';

/** The site visit of a notary inquiry: the inspector's findings and photos. */
@Injectable()
export class DeskVisitService {
  private readonly logger = new Logger(DeskVisitService.name);

  constructor(
    private readonly steps: DeskSteps,
    private readonly workflow: InquiryWorkflowService,
    private readonly inquiries: InquiriesService,
    private readonly intake: DocumentIntakeService,
    private readonly storage: StorageService,
    private readonly view: DeskDetailService,
  ) {}

  /**
   * The inspector's findings, with optional photos: validated and re-encoded like documents,
   * written to storage first and removed again if the transaction fails (no orphans).
   */
  async visitResult(actor: Actor, id: string, dto: VisitResultDto, files: UploadedFileLike[] = []): Promise<DeskInquiryDto> {
    const visible = await this.inquiries.findVisible(actor, id);
    if (visible.type !== InquiryType.Notary || visible.status !== S.VisitScheduled) throw conflict(visible);
    assertVisitStarted(visible, new Date());
    const prepared = [];
    for (const file of files) prepared.push(await this.intake.prepare(file, { kind: 'photo', label: { fa: 'عکس بازدید', en: 'site photo' } }));
    const photos: VisitResult['photos'] = [];
    try {
      for (const p of prepared) {
        const key = this.storage.newKey('visits');
        await this.storage.put(key, p.bytes, p.contentType, p.sha256);
        photos.push({ objectKey: key, sha256: p.sha256, size: p.bytes.length, contentType: p.contentType });
      }
      await this.steps.step(actor, id, async (tx, inquiry, c) => {
        if (inquiry.type !== InquiryType.Notary || inquiry.status !== S.VisitScheduled) throw conflict(inquiry);
        assertVisitStarted(inquiry, new Date());
        c.visit = { findings: dto.findings, matchesRecords: dto.matchesRecords, inspectorId: actor.id!, at: new Date().toISOString(), photos };
        await runAll(tx, this.workflow.transition(inquiry, S.Visited, 'staff', { metadata: { matchesRecords: dto.matchesRecords, photos: photos.map((p) => p.sha256) } }));
      });
    } catch (err) {
      await Promise.all(photos.map((p) => this.storage.remove(p.objectKey).catch((e) => this.logger.error({ err: e, key: p.objectKey }, 'could not remove a visit photo'))));
      throw err;
    }
    return this.view.detail(actor, id);
  }
}

/** A visit's result is recorded from its booked slot's start on (VISIT_NOT_STARTED before, saying when). */
export function assertVisitStarted(inquiry: Pick<InquiryRow, 'visitStartsAt'>, now: Date): void {
  const startsAt = inquiry.visitStartsAt;
  if (!startsAt || startsAt <= now) return;
  const jalali = formatJalali(startsAt, { time: true });
  throw DeskErrors.VISIT_NOT_STARTED({
    message: {
      fa: `نتیجه بازدید محلی را از زمان نوبت بازدید (${toPersianDigits(jalali)}) به بعد می‌توان ثبت کرد.`,
      en: `The site visit result can be recorded only from the booked slot’s start (${jalali} Tehran time).`,
    },
    extensions: { visitStartsAt: startsAt.toISOString(), visitStartsAtJalali: jalali },
  });
}

function toPersianDigits(s: string): string {
  return s.replace(/[0-9]/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
}
