import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { INestApplicationContext, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../../config/app-config';
import { ApiClient } from '../../modules/membership/entities/api-client.entity';
import { Organization, OrganizationKind } from '../../modules/membership/entities/organization.entity';
import { StaffRole, StaffUser } from '../../modules/membership/entities/staff-user.entity';
import { OrganizationsService } from '../../modules/membership/organizations.service';
import { StaffService } from '../../modules/membership/staff.service';
import { Citizen } from '../../modules/membership/entities/citizen.entity';
import { IdentityRegistryService } from '../../modules/membership/identity/identity-registry.service';
import type { CreateRegistryPersonDto } from '../../modules/membership/identity/identity-registry.dto';
import { generateNationalId } from '@app/iran';
import { DemoCitySamples } from './demo-city';
import { loadDemoCity } from './demo-city.loader';
import { ProgressReporter } from '../progress';
import { DemoBilling, seedBillingDemo } from '../../modules/billing/billing-demo';
import { DemoInquiries, inquiryDemoSamples } from '../../modules/inquiries/inquiries-demo';
import { DemoPayments, paymentDemoSamples } from '../../modules/billing/payments/payments-demo';
import { publicBaseUrl } from '../../modules/billing/payments/public-url';

const logger = new Logger('DemoSeed');

export interface DemoStaff {
  username: string;
  password: string;
  fullName: string;
  mobile: string | null;
  roles: StaffRole[];
  regions: number[];
  secondFactor: boolean;
}

export interface DemoClient {
  organization: string;
  kind: OrganizationKind;
  legalNationalId: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  tokenUrl: string;
}

/** What `DATA_DIR/demo.json` holds: every demo account and sample case of the sandbox. */
export interface DemoFile {
  note: string;
  createdAt: string;
  howTo: Record<string, string>;
  staff: DemoStaff[];
  organizations: DemoClient[];
  citizen: { mobile: string; nationalId: string; name: string; note: string };
  identity: DemoIdentity;
  properties: DemoCitySamples & { note: string; howTo: Record<string, string> };
  billing: DemoBilling;
  payments: DemoPayments;
  inquiries: DemoInquiries;
}

const DEMO_CITIZEN_MOBILE = '09120000100';

/** The sandbox identity registry's demo pairs (see README "Identity verification"). */
export interface DemoIdentity {
  note: string;
  /** Registers (POST /auth/register with these details after the OTP of `mobile`): a person of the registry with no account yet. */
  matching: { nationalId: string; mobile: string; firstName: string; lastName: string; fatherName: string; birthDate: string };
  /** Refused with IDENTITY_MOBILE_MISMATCH: a listed national ID with a mobile that is not registered to it. */
  mismatching: { nationalId: string; mobile: string; note: string };
  people: number;
}

const GIVEN = ['علی', 'زهرا', 'محمد', 'فاطمه', 'حسین', 'مریم', 'رضا', 'سارا', 'مهدی', 'نرگس'];
const FAMILY = ['رضایی', 'محمدی', 'حسینی', 'کریمی', 'احمدی', 'موسوی', 'جعفری', 'صادقی', 'رحیمی', 'قاسمی'];

/** Generated people of the sandbox registry: national IDs from seeds 910000+i, mobiles 09120000200+i. */
function generatedPeople(count: number): CreateRegistryPersonDto[] {
  return Array.from({ length: count }, (_, i) => ({
    nationalId: generateNationalId(910000 + i),
    mobile: `0912000${String(200 + i).padStart(4, '0')}`,
    firstName: GIVEN[i % GIVEN.length],
    lastName: FAMILY[(i * 3) % FAMILY.length],
    fatherName: GIVEN[(i + 4) % GIVEN.length],
    birthDate: `13${60 + (i % 20)}/0${1 + (i % 9)}/1${i % 10}`,
    note: 'generated demo person',
  }));
}

export function demoFilePath(config: ResolvedConfig): string {
  return join(config.dataDir, 'demo.json');
}

const WANTED_STAFF: Array<Omit<DemoStaff, 'password' | 'secondFactor'>> = [
  { username: 'admin', fullName: 'مدیر سامانه (نمونه)', mobile: '09120000001', roles: [StaffRole.Admin], regions: [] },
  { username: 'clerk.r1', fullName: 'کارشناس میز خدمت منطقه یک (نمونه)', mobile: '09120000011', roles: [StaffRole.RegionClerk], regions: [1] },
  { username: 'clerk.r2', fullName: 'کارشناس میز خدمت منطقه دو (نمونه)', mobile: '09120000012', roles: [StaffRole.RegionClerk], regions: [2] },
  { username: 'clerk.r3', fullName: 'کارشناس میز خدمت منطقه سه (نمونه)', mobile: '09120000013', roles: [StaffRole.RegionClerk], regions: [3] },
  { username: 'manager.r1', fullName: 'مدیر منطقه یک (نمونه)', mobile: '09120000021', roles: [StaffRole.RegionManager], regions: [1] },
  { username: 'manager.r2', fullName: 'مدیر منطقه دو (نمونه)', mobile: '09120000022', roles: [StaffRole.RegionManager], regions: [2] },
  { username: 'manager.r3', fullName: 'مدیر منطقه سه (نمونه)', mobile: '09120000023', roles: [StaffRole.RegionManager], regions: [3] },
];

const DEMO_BANK = { name: 'بانک نمونه (محیط آزمایشی)', legalNationalId: '10100302862' };

/**
 * Embedded mode only (DEMO_SEED and no DATABASE_URL; never on a real database): creates
 * the demo accounts once and writes their credentials to DATA_DIR/demo.json. Idempotent.
 */
export async function seedDemo(
  app: INestApplicationContext,
  config: ResolvedConfig,
  root: EntityManager = (app.get(MikroORM) as MikroORM).em,
): Promise<DemoFile> {
  if (!config.database.embedded) throw new Error('demo data is only created in embedded mode');
  const file = demoFilePath(config);
  const existing: Partial<DemoFile> | undefined = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  const em = root.fork();
  const staffService = app.get(StaffService);
  const orgs = app.get(OrganizationsService);

  const staff: DemoStaff[] = [];
  for (const w of WANTED_STAFF) {
    const secondFactor = w.roles.some((r) => config.auth.staff2faRoles.includes(r));
    const known = existing?.staff?.find((s) => s.username === w.username);
    const exists = (await em.count(StaffUser, { username: w.username })) > 0;
    if (exists && known) {
      staff.push({ ...known, secondFactor });
      continue;
    }
    if (exists) {
      logger.warn(`demo account "${w.username}" exists but its password is not in demo.json; leaving it unchanged`);
      continue;
    }
    const password = `demo-${randomBytes(6).toString('base64url')}`;
    await staffService.create({ ...w, mobile: w.mobile ?? undefined, password }, em);
    staff.push({ ...w, password, secondFactor });
  }

  const organizations: DemoClient[] = existing?.organizations ?? [];
  if (!organizations.length || !(await em.count(ApiClient, { clientId: organizations[0].clientId }))) {
    organizations.length = 0;
    const existingOrg = await em.findOne(Organization, { legalNationalId: DEMO_BANK.legalNationalId });
    const org = existingOrg
      ? { id: existingOrg.id, name: existingOrg.name, legalNationalId: existingOrg.legalNationalId }
      : await orgs.create({ kind: OrganizationKind.Bank, ...DEMO_BANK }, em);
    const scopes = ['certificates:verify', 'inquiries:read', 'inquiries:write', 'bills:report', 'webhooks:manage'];
    const client = await orgs.createClient(org.id, { name: 'demo bank client', scopes }, em.fork());
    organizations.push({
      organization: org.name,
      kind: OrganizationKind.Bank,
      legalNationalId: org.legalNationalId,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      scopes: client.scopes,
      tokenUrl: '/api/v1/oauth/token',
    });
  }

  const cityProgress = new ProgressReporter({ unit: 'parcels', sink: { isTTY: false, write: (line) => logger.log(`demo city: ${line.trimEnd()}`) } });
  const city = await cityProgress.run(() =>
    loadDemoCity(
      app,
      {
        parcels: config.demo.cityParcels,
        // through the logger, so always line mode: a line every few seconds and one at the end
        onProgress: (done, total) => cityProgress.update(done, total),
      },
      em.fork(),
    ),
  );
  if (city.loaded) logger.log(`demo city loaded: ${city.parcels} parcels in ${(city.elapsedMs / 1000).toFixed(1)} s`);
  const demoCitizen = city.samples;
  if (!(await em.count(Citizen, { mobile: DEMO_CITIZEN_MOBILE }))) {
    const [first, ...rest] = demoCitizen.demoCitizenName.split(' ');
    em.persist(
      em.create(Citizen, {
        mobile: DEMO_CITIZEN_MOBILE,
        nationalId: demoCitizen.demoCitizenNationalId,
        firstName: first,
        lastName: rest.join(' ') || first,
        fatherName: 'محمد',
        birthDateJalali: '1365/04/20',
        birthDate: '1986-07-11',
        // the demo citizen is in the sandbox registry (below): verified like a new registration
        identityVerifiedAt: new Date(),
        identityVerifiedBy: 'registry',
      }),
    );
    await em.flush();
  }

  // the sandbox identity registry: the demo citizen and the demo staff mobiles as matching pairs, and generated people
  const [givenName, ...familyName] = demoCitizen.demoCitizenName.split(' ');
  const people = generatedPeople(20);
  const staffPeople: CreateRegistryPersonDto[] = WANTED_STAFF.filter((w) => w.mobile).map((w, i) => ({
    nationalId: generateNationalId(900000 + i),
    mobile: w.mobile!,
    firstName: 'کارمند',
    lastName: 'نمونه',
    fatherName: 'محمد',
    birthDate: '1360/01/01',
    note: `demo staff ${w.username}`,
  }));
  await app.get(IdentityRegistryService).seed(
    [
      {
        nationalId: demoCitizen.demoCitizenNationalId,
        mobile: DEMO_CITIZEN_MOBILE,
        firstName: givenName,
        lastName: familyName.join(' ') || givenName,
        fatherName: 'محمد',
        birthDate: '1365/04/20',
        note: 'demo citizen',
      },
      ...staffPeople,
      ...people,
    ],
    em.fork(),
  );
  const identity: DemoIdentity = {
    note:
      'Sandbox identity registry (IDENTITY_PROVIDER=sandbox), editable at /api/v1/admin/identity-registry. A national ID matches only the mobile listed with it. ' +
      'Set IDENTITY_SANDBOX_UNAVAILABLE=true to see registration answer 503 IDENTITY_SERVICE_UNAVAILABLE.',
    matching: {
      nationalId: people[0].nationalId,
      mobile: people[0].mobile!,
      firstName: people[0].firstName,
      lastName: people[0].lastName,
      fatherName: people[0].fatherName,
      birthDate: people[0].birthDate,
    },
    mismatching: {
      nationalId: people[1].nationalId,
      mobile: '09120000199',
      note: 'A person of the registry (no account yet) with a mobile registered to someone else: POST /api/v1/auth/register answers IDENTITY_MOBILE_MISMATCH and creates nothing. (The demo citizen\'s own national ID answers NATIONAL_ID_ALREADY_REGISTERED: a verified member holds it.)',
    },
    people: people.length + staffPeople.length + 1,
  };

  const billing = await seedBillingDemo(app, em.fork(), {
    withDebts: city.samples.demoCitizen.inWideningPlan,
    fullyPaid: city.samples.demoCitizen.eligible,
    citizenNationalId: demoCitizen.demoCitizenNationalId,
    otherNationalId: '0499370899',
  });

  const inquiries = await inquiryDemoSamples(app, {
    eligible: city.samples.demoCitizen.eligible.renewalCode,
    notEligible: city.samples.demoCitizen.noCertificates.renewalCode,
    withDebts: city.samples.demoCitizen.inWideningPlan.renewalCode,
  });

  const payments = await paymentDemoSamples(
    app,
    em.fork(),
    [...city.samples.ownedByDemoCitizen, city.samples.inWideningPlan.renewalCode, city.samples.noCertificates.renewalCode, city.samples.eligible.renewalCode],
    publicBaseUrl(config),
  );

  const demo: DemoFile = {
    note:
      'Sandbox accounts of the embedded mode (never created with a real database). Codes of SMS messages are readable at GET /api/v1/sandbox/sms-outbox?mobile=…. ' +
      'Every howTo hint can be followed literally: steps are separated by →; `{a, b}` is a JSON body whose fields a and b take the values ' +
      'of the same names from the entry the hint is about (the one named by "for <entry>:", e.g. inquiries.eligible) or from the answers ' +
      'before; `{a: <b.c>}` takes b.c from them, `{a: "x"}` is the literal x; `<x>` in a path is such a value too, `<now>` the current time ' +
      '(ISO 8601) and `<today>` today’s Jalali date; a list answer counts by its first element; "with the citizen token" (staff, ' +
      'organization) means Authorization: Bearer <the token of howTo.citizen, howTo.staff as admin, howTo.organization>; a step after ' +
      '"if status is s:" runs only when the answer before says status s.',
    createdAt: existing?.createdAt ?? new Date().toISOString(),
    // written so that they can be followed literally (test/e2e/demo-hints.e2e-spec.ts does):
    // `{a, b}` are JSON body fields named as the entry's own fields, `{a: <b>}` takes the
    // entry's field b, `{a: "x"}` is the literal x; a step after `if status is s:` runs only
    // when the previous answer's status is s
    howTo: {
      citizen:
        'POST /api/v1/auth/otp {mobile} → GET /api/v1/sandbox/sms-outbox?mobile=<mobile> (a page `{items, meta}`, newest first: `items[0].code`) → ' +
        'POST /api/v1/auth/otp/verify {mobile, code} → if status is registration_required: POST /api/v1/auth/register ' +
        '{registrationToken, nationalId, firstName, lastName, fatherName, birthDate}; the answer carries accessToken',
      staff:
        'POST /api/v1/staff/auth/login {username, password} → if status is second_factor_required: ' +
        'GET /api/v1/sandbox/sms-outbox?mobile=<mobile> (a page `{items, meta}`, newest first: `items[0].code`) → POST /api/v1/staff/auth/verify {challengeId, code}; ' +
        'the answer carries accessToken',
      organization:
        'POST /api/v1/oauth/token {grant_type: "client_credentials", client_id: <clientId>, client_secret: <clientSecret>} ' +
        '(JSON or form; or HTTP Basic client_id:client_secret; in Swagger UI: Authorize, then organization); the answer carries access_token',
    },
    staff,
    organizations,
    citizen: {
      mobile: DEMO_CITIZEN_MOBILE,
      nationalId: demoCitizen.demoCitizenNationalId,
      name: demoCitizen.demoCitizenName,
      note: 'Sign in as howTo.citizen says (the code is in the sandbox outbox). Owns the properties in properties.ownedByDemoCitizen.',
    },
    identity,
    properties: {
      note: 'Sample renewal codes of the generated demo city (region in each entry).',
      ...city.samples,
      howTo: {
        lookup: 'for properties.eligible: GET /api/v1/properties/<renewalCode>?region=<region> (public); the answer carries address',
        zoning: 'for properties.eligible: GET /api/v1/properties/<renewalCode>/zoning?region=<region> (public); the answer carries zoneCode',
        widening:
          'for properties.inWideningPlan: GET /api/v1/properties/<renewalCode>/street-widening?region=<region> (public); the answer carries affected: true',
        mine: 'GET /api/v1/properties/search with the citizen token (the demo citizen’s own: properties.ownedByDemoCitizen); the answer carries items',
      },
    },
    billing,
    payments,
    inquiries,
  };
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(demo, null, 2) + '\n', { mode: 0o600 });
  return demo;
}
