import { EntityManager } from '@mikro-orm/postgresql';
import { INestApplicationContext } from '@nestjs/common';
import { run } from '../../database/sql';
import { BillingService } from '../billing/billing.service';
import { PropertiesService } from '../properties/properties.service';
import { ELIGIBLE_CERTIFICATE_KINDS } from './domain/requirements';

export interface DemoInquirySample {
  renewalCode: string;
  region: number;
  /** The number to type as "last request number" (null: the property has no certificate). */
  lastRequestNumber: string | null;
  eligible: boolean;
  settled: boolean;
}

export interface DemoInquiries {
  note: string;
  eligible: DemoInquirySample;
  notEligible: DemoInquirySample;
  withDebts: DemoInquirySample;
  howTo: Record<string, string>;
}

/**
 * The demo citizen's inquiry samples for demo.json, read back from the seeded data (so the
 * last request number is exactly what the knowledge check expects).
 */
export async function inquiryDemoSamples(
  app: INestApplicationContext,
  codes: { eligible: string; notEligible: string; withDebts: string },
): Promise<DemoInquiries> {
  const properties = app.get(PropertiesService);
  const billing = app.get(BillingService);
  const sample = async (renewalCode: string): Promise<DemoInquirySample> => {
    const records = await run(app.get(EntityManager).fork(), properties.inquiryRecords(renewalCode));
    if (!records) throw new Error(`demo property ${renewalCode} is missing`);
    const file = await billing.fileStatus(renewalCode);
    return {
      renewalCode,
      region: records.summary.region,
      lastRequestNumber: records.certificates[0]?.requestNumber ?? null,
      eligible: records.certificates.some((c) => (ELIGIBLE_CERTIFICATE_KINDS as readonly string[]).includes(c.kind)),
      settled: file.settled,
    };
  };
  const [eligible, notEligible, withDebts] = await Promise.all([sample(codes.eligible), sample(codes.notEligible), sample(codes.withDebts)]);
  return {
    note: 'Electronic inquiries (استعلام) of the demo citizen: an eligible property with a settled file, one without an earlier certificate (NOT_ELIGIBLE names the region desk) and one with unpaid fees (the draft shows its debts and bill).',
    eligible,
    notEligible,
    withDebts,
    howTo: {
      office:
        'GET /api/v1/inquiries/undertakings?type=office → POST /api/v1/inquiries {type:"office", renewalCode, region, lastRequestNumber, undertakingsVersion, undertakingsAccepted:true, organization:{kind:"bank", name, letterNumber, letterDate:"1404/08/20"}} → POST /api/v1/inquiries/{id}/confirm → PUT /api/v1/inquiries/{id}/documents/{deed|national_card|office_letter} (multipart field "file", PNG/JPEG) → POST /api/v1/inquiries/{id}/submit → GET /api/v1/tracking/{trackingCode}',
      notary:
        'as office with type:"notary" and notaryOfficeNumber instead of organization; documents deed and national_card; GET /api/v1/inquiries/visit-slots?region= → POST /api/v1/inquiries/{id}/visit {slotId} before submitting',
    },
  };
}
