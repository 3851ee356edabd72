import { Inject, Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';

interface TemplateDefinition {
  /** Every `{placeholder}` the text may use; callers must provide all of them. */
  readonly placeholders: readonly string[];
  /** Placeholders that are always secret (one-time codes), whatever the caller says. */
  readonly secret: readonly string[];
  /** Default Persian text. */
  readonly text: string;
}

/**
 * The SMS templates: keys, their parameters and the default Persian texts. Texts can be
 * replaced with `SMS_TEMPLATES_FILE` (JSON `{ "otp_login": "…{code}…" }`); keys and
 * parameters are part of the code. Add a key here when a module needs a new message.
 *
 * With Kavenegar and SMS.ir, one-time codes (`otp_login`, `staff_2fa`) travel through the
 * provider's OTP API, whose wording is the template approved in the provider's panel
 * (KAVENEGAR_OTP_TEMPLATE / SMSIR_OTP_TEMPLATE_ID); keep both texts alike, since the outbox
 * shows the one here. Every other template is sent as rendered here.
 */
export const SMS_TEMPLATES = {
  /** Citizen login / registration code. */
  otp_login: {
    placeholders: ['code'],
    secret: ['code'],
    text: 'کد ورود شما به سامانه شهروندسپاری شهرداری قزوین: {code}\nاین کد را به کسی ندهید.',
  },
  /** Second factor of a staff login. */
  staff_2fa: {
    placeholders: ['code'],
    secret: ['code'],
    text: 'کد تأیید ورود کارکنان سامانه شهروندسپاری شهرداری قزوین: {code}\nاین کد را به کسی ندهید.',
  },
  /** Membership: the code that confirms a member's new mobile number (sent to the new number). */
  otp_mobile_change: {
    placeholders: ['code'],
    secret: ['code'],
    text: 'کد تأیید تغییر شماره همراه در سامانه شهروندسپاری شهرداری قزوین: {code}\nاگر شما درخواست نداده‌اید، این کد را به کسی ندهید.',
  },
  /** Membership: the member's mobile number was changed (sent to the old number; `newMobile` masked). */
  mobile_changed: {
    placeholders: ['newMobile'],
    secret: [],
    text: 'شماره همراه حساب شما در سامانه شهروندسپاری شهرداری قزوین به {newMobile} تغییر کرد و از این شماره دیگر نمی‌توانید وارد شوید. اگر شما این کار را نکرده‌اید، با کارت ملی به میز خدمت منطقه مراجعه کنید.',
  },
  /** An inquiry was submitted (inquiries module): its tracking code and when the review is due. */
  inquiry_submitted: {
    placeholders: ['trackingCode', 'dueAt'],
    secret: [],
    text: 'درخواست استعلام شما در سامانه شهروندسپاری شهرداری قزوین ثبت شد.\nکد پیگیری: {trackingCode}\nمهلت بررسی: {dueAt}',
  },
  /** Desk: documents sent back to the applicant for correction. */
  inquiry_needs_correction: {
    placeholders: ['trackingCode', 'reason'],
    secret: [],
    text: 'درخواست استعلام {trackingCode} نیازمند اصلاح است: {reason}\nمدارک را اصلاح و دوباره ثبت کنید.',
  },
  /** Desk: the file has debts; the bill to pay. */
  inquiry_awaiting_payment: {
    placeholders: ['trackingCode', 'billId', 'paymentId', 'amount'],
    secret: [],
    text: 'برای ادامه درخواست استعلام {trackingCode} بدهی پرونده را بپردازید.\nشناسه قبض: {billId}\nشناسه پرداخت: {paymentId}\nمبلغ: {amount} ریال',
  },
  /** Desk: the site visit of a notary inquiry is on. */
  inquiry_visit_scheduled: {
    placeholders: ['trackingCode', 'visitAt'],
    secret: [],
    text: 'بازدید محلی درخواست استعلام {trackingCode} در زمان {visitAt} انجام می‌شود؛ لطفاً در محل ملک حضور داشته باشید.',
  },
  /** Desk: the answer was issued. */
  inquiry_answered: {
    placeholders: ['trackingCode', 'certificateNumber'],
    secret: [],
    text: 'پاسخ درخواست استعلام {trackingCode} صادر شد.\nشماره گواهی: {certificateNumber}',
  },
  /** Desk: the inquiry was rejected. */
  inquiry_rejected: {
    placeholders: ['trackingCode', 'reason'],
    secret: [],
    text: 'درخواست استعلام {trackingCode} رد شد: {reason}',
  },
  /** Desk SLA job: reviews of a region passed their due time (to the region's managers). */
  desk_sla_overdue: {
    placeholders: ['region', 'count'],
    secret: [],
    text: 'هشدار میز خدمت منطقه {region}: {count} درخواست استعلام از مهلت بررسی گذشته است.',
  },
  /** Membership: a region desk verified the member's identity in person. */
  identity_verified_desk: {
    placeholders: ['region'],
    secret: [],
    text: 'هویت شما در میز خدمت منطقه {region} شهرداری قزوین با رؤیت کارت ملی تأیید شد. اگر شما مراجعه نکرده‌اید، با شهرداری تماس بگیرید.',
  },
  /** Membership: an unverified account was suspended because the verified holder of its national ID registered. */
  account_suspended_identity: {
    placeholders: [],
    secret: [],
    text: 'حساب شما در سامانه شهروندسپاری شهرداری قزوین معلق شد: صاحب کد ملی ثبت‌شده در آن، هویت خود را تأیید و عضو شد. اگر اشتباهی رخ داده، با کارت ملی به میز خدمت منطقه مراجعه کنید.',
  },
  /** Free text composed by the calling module (already in Persian). */
  text: {
    placeholders: ['text'],
    secret: [],
    text: '{text}',
  },
} as const satisfies Record<string, TemplateDefinition>;

export type SmsTemplateKey = keyof typeof SMS_TEMPLATES;

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function isSmsTemplateKey(key: string): key is SmsTemplateKey {
  return Object.prototype.hasOwnProperty.call(SMS_TEMPLATES, key);
}

/** The `{placeholders}` a text uses, in order of first use. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/**
 * The effective template texts: the defaults, overridden by the JSON file when one is given.
 * Throws an Error naming the file and the key for anything wrong in the file (start-up fails).
 */
export function loadSmsTemplateTexts(file?: string): Record<SmsTemplateKey, string> {
  const texts = Object.fromEntries(
    Object.entries(SMS_TEMPLATES).map(([key, def]) => [key, def.text]),
  ) as Record<SmsTemplateKey, string>;
  if (!file) return texts;

  const path = resolve(file);
  const fail = (problem: string) => new Error(`SMS templates file ${path}: ${problem}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw fail(`cannot be read as JSON (${(err as Error).message})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw fail('must be a JSON object { "template_key": "text", ... }');
  }
  for (const [key, text] of Object.entries(raw as Record<string, unknown>)) {
    if (!isSmsTemplateKey(key)) {
      throw fail(`unknown template key "${key}" (known: ${Object.keys(SMS_TEMPLATES).join(', ')})`);
    }
    if (typeof text !== 'string' || text.trim() === '') throw fail(`template "${key}" must be a non-empty string`);
    const allowed: readonly string[] = SMS_TEMPLATES[key].placeholders;
    const used = placeholdersOf(text);
    const unknown = used.filter((p) => !allowed.includes(p));
    if (unknown.length) {
      throw fail(
        `template "${key}" uses unknown placeholder ${unknown.map((p) => `{${p}}`).join(', ')} ` +
          `(allowed: ${allowed.map((p) => `{${p}}`).join(', ')})`,
      );
    }
    const missing = allowed.filter((p) => !used.includes(p));
    if (missing.length) throw fail(`template "${key}" must use ${missing.map((p) => `{${p}}`).join(', ')}`);
    texts[key] = text;
  }
  return texts;
}

/** Replaces every `{placeholder}`; a missing value is a programming error. */
export function renderTemplate(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`SMS template parameter "${name}" is missing`);
    return value;
  });
}

/** The template catalogue of this process, loaded once at start-up. */
@Injectable()
export class SmsTemplates {
  private readonly texts: Record<SmsTemplateKey, string>;

  constructor(@Inject(APP_CONFIG) config: ResolvedConfig) {
    this.texts = loadSmsTemplateTexts(config.sms.templatesFile);
  }

  /** Throws (programming error) for an unknown key. */
  definition(key: string): TemplateDefinition {
    if (!isSmsTemplateKey(key)) throw new Error(`unknown SMS template "${key}"`);
    return SMS_TEMPLATES[key];
  }

  render(key: string, values: Readonly<Record<string, string>>): string {
    this.definition(key);
    return renderTemplate(this.texts[key as SmsTemplateKey], values);
  }
}
