import type { ResolvedConfig } from '../../../config/app-config';
import { KavenegarProvider } from './kavenegar.provider';
import { SandboxSmsProvider } from './sandbox.provider';
import { SmsIrProvider } from './smsir.provider';
import { SmsProvider } from './sms-provider';

/**
 * The provider chosen by `SMS_PROVIDER`. Configuration validation already required the
 * provider's credentials; the checks here only guard against a hand-built config.
 */
export function createSmsProvider(config: ResolvedConfig): SmsProvider {
  const { sms } = config;
  switch (sms.provider) {
    case 'sandbox':
      return new SandboxSmsProvider();
    case 'kavenegar': {
      const { apiKey, baseUrl, sender, otpTemplate } = sms.kavenegar;
      if (!apiKey) throw new Error('KAVENEGAR_API_KEY is required when SMS_PROVIDER=kavenegar');
      return new KavenegarProvider({ apiKey, baseUrl, sender, otpTemplate, timeoutMs: sms.httpTimeoutMs });
    }
    case 'smsir': {
      const { apiKey, baseUrl, lineNumber, otpTemplateId } = sms.smsir;
      if (!apiKey || !lineNumber) throw new Error('SMSIR_API_KEY and SMSIR_LINE_NUMBER are required when SMS_PROVIDER=smsir');
      return new SmsIrProvider({ apiKey, baseUrl, lineNumber, otpTemplateId, timeoutMs: sms.httpTimeoutMs });
    }
  }
}
