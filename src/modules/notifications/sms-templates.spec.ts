import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedConfig } from '../../config/app-config';
import { loadSmsTemplateTexts, placeholdersOf, renderTemplate, SMS_TEMPLATES, SmsTemplates } from './sms-templates';

function templatesFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sms-templates-')), 'templates.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('SMS templates', () => {
  it('has Persian defaults for the OTP, staff 2FA and free-text templates', () => {
    const texts = loadSmsTemplateTexts();
    expect(renderTemplate(texts.otp_login, { code: '482917' })).toBe(
      'کد ورود شما به سامانه شهروندسپاری شهرداری قزوین: ۴۸۲۹۱۷\nاین کد را به کسی ندهید.',
    );
    expect(renderTemplate(texts.staff_2fa, { code: '123456' })).toContain('۱۲۳۴۵۶');
    expect(renderTemplate(texts.text, { text: 'سلام' })).toBe('سلام');
    for (const [key, def] of Object.entries(SMS_TEMPLATES)) {
      expect([key, placeholdersOf(def.text).sort()]).toEqual([key, [...def.placeholders].sort()]);
    }
  });

  it('writes numbers in Persian digits, but leaves words with Latin letters (URLs, codes like Q-12) as they are', () => {
    const texts = loadSmsTemplateTexts();
    const body = renderTemplate(texts.inquiry_awaiting_payment, { trackingCode: '1405123456', billId: '1234567890123', paymentId: '98765', amount: '36,844,000' });
    expect(body).toContain('شناسه قبض: ۱۲۳۴۵۶۷۸۹۰۱۲۳');
    expect(body).toContain('مبلغ: ۳۶,۸۴۴,۰۰۰ ریال');
    expect(body).not.toMatch(/[0-9]/);
    expect(renderTemplate(texts.text, { text: 'ساعت 9:30 در https://q.example/t/123 کد Q-12' })).toBe('ساعت ۹:۳۰ در https://q.example/t/123 کد Q-12');
  });

  it('lets a JSON file override some texts and keeps the other defaults', () => {
    const file = templatesFile({ otp_login: 'کد شما {code} است' });
    const texts = loadSmsTemplateTexts(file);
    expect(texts.otp_login).toBe('کد شما {code} است');
    expect(texts.staff_2fa).toBe(SMS_TEMPLATES.staff_2fa.text);
  });

  it.each([
    ['an unknown placeholder', { otp_login: 'کد {code} برای {name}' }, /template "otp_login" uses unknown placeholder \{name\} \(allowed: \{code\}\)/],
    ['a missing placeholder', { staff_2fa: 'کد ورود شما' }, /template "staff_2fa" must use \{code\}/],
    ['an unknown key', { otp_signup: 'x {code}' }, /unknown template key "otp_signup"/],
    ['a non-string text', { text: 42 }, /template "text" must be a non-empty string/],
    ['an array', ['x'], /must be a JSON object/],
    ['broken JSON', '{"otp_login": ', /cannot be read as JSON/],
  ])('refuses a file with %s, naming the file', (_name, content, message) => {
    const file = templatesFile(content);
    expect(() => loadSmsTemplateTexts(file)).toThrow(message);
    expect(() => loadSmsTemplateTexts(file)).toThrow(file);
  });

  it('refuses a missing file, naming it', () => {
    expect(() => loadSmsTemplateTexts('/nonexistent/sms.json')).toThrow('/nonexistent/sms.json');
  });

  it('is loaded once when the application starts: a bad file stops the start with its name', () => {
    const config = (templatesFile?: string) => ({ sms: { templatesFile } }) as unknown as ResolvedConfig;
    const file = templatesFile({ otp_login: 'کد {kod}' });
    expect(() => new SmsTemplates(config(file))).toThrow(`SMS templates file ${file}: template "otp_login" uses unknown placeholder {kod}`);
    const templates = new SmsTemplates(config());
    expect(templates.render('text', { text: 'سلام' })).toBe('سلام');
    expect(() => templates.render('otp_signup', {})).toThrow('unknown SMS template "otp_signup"');
  });

  it('renders every occurrence and leaves other braces alone', () => {
    expect(renderTemplate('{code} / {code} {not a placeholder}', { code: '1' })).toBe('۱ / ۱ {not a placeholder}');
    expect(() => renderTemplate('{code}', {})).toThrow('SMS template parameter "code" is missing');
  });
});
