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
  // one after the other: in parallel they took three pooled connections at once, which timed out on a loaded embedded engine
  const eligible = await sample(codes.eligible);
  const notEligible = await sample(codes.notEligible);
  const withDebts = await sample(codes.withDebts);
  return {
    note: 'Electronic inquiries (استعلام) of the demo citizen: an eligible property with a settled file, one without an earlier certificate (NOT_ELIGIBLE names the region desk) and one with unpaid fees (the draft shows its debts and bill).',
    eligible,
    notEligible,
    withDebts,
    // followed literally by test/e2e/demo-hints.e2e-spec.ts (the grammar is in demo.json's top-level note)
    howTo: {
      office:
        'for inquiries.eligible: GET /api/v1/inquiries/undertakings?type=office (its version) → ' +
        'POST /api/v1/inquiries {type: "office", renewalCode, region, lastRequestNumber, undertakingsVersion: <version>, undertakingsAccepted: true, ' +
        'organization: {kind: "bank", name: "بانک نمونه، شعبه مرکزی قزوین", letterNumber: "12/345", letterDate: "1404/08/20"}} with the citizen token → ' +
        'POST /api/v1/inquiries/<id>/confirm with the citizen token → ' +
        'for each kind in deed, national_card, office_letter: PUT /api/v1/inquiries/<id>/documents/<kind> with the citizen token ' +
        '(multipart field "file": a legible PNG or JPEG scan, about 200–300 KB) → ' +
        'POST /api/v1/inquiries/<id>/submit with the citizen token → GET /api/v1/tracking/<trackingCode>; the answer carries status: submitted',
      notary:
        'for inquiries.eligible: GET /api/v1/inquiries/undertakings?type=notary (its version) → ' +
        'POST /api/v1/inquiries {type: "notary", renewalCode, region, lastRequestNumber, undertakingsVersion: <version>, undertakingsAccepted: true, ' +
        'notaryOfficeNumber: "12"} with the citizen token → POST /api/v1/inquiries/<id>/confirm with the citizen token → ' +
        'for each kind in deed, national_card: PUT /api/v1/inquiries/<id>/documents/<kind> with the citizen token ' +
        '(multipart field "file": a legible PNG or JPEG scan, about 200–300 KB) → ' +
        'GET /api/v1/inquiries/visit-slots?region=<region> with the citizen token (the first free slot; its slotId) → ' +
        'POST /api/v1/inquiries/<id>/visit {slotId} with the citizen token → ' +
        'POST /api/v1/inquiries/<id>/submit with the citizen token → GET /api/v1/tracking/<trackingCode>; the answer carries status: submitted',
      // only when the indebted sample can be drafted (a small demo city may give it no certificate: NOT_ELIGIBLE)
      ...(withDebts.eligible && withDebts.lastRequestNumber ? { withDebts: withDebtsHint } : {}),
    },
  };
}

const withDebtsHint =
  'for inquiries.withDebts: GET /api/v1/inquiries/undertakings?type=office (its version) → ' +
  'POST /api/v1/inquiries {type: "office", renewalCode, region, lastRequestNumber, undertakingsVersion: <version>, undertakingsAccepted: true, ' +
  'organization: {kind: "bank", name: "بانک نمونه، شعبه مرکزی قزوین", letterNumber: "12/345", letterDate: "1404/08/20"}} with the citizen token; ' +
  'the answer carries records.debts.bill (the draft shows the debts to pay and their bill)';
