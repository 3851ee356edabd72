import { OutgoingSms, SmsProvider, SmsSendResult } from './sms-provider';

/**
 * Sends nothing. The outbox row (with the code in clear) is the delivery: integrators, demos
 * and tests read it from `GET /api/v1/sandbox/sms-outbox`.
 */
export class SandboxSmsProvider implements SmsProvider {
  readonly name = 'sandbox' as const;

  async send(message: OutgoingSms): Promise<SmsSendResult> {
    return { providerMessageId: `sandbox-${message.id}` };
  }
}
