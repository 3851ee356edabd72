/** Webhook event types an organization can subscribe to. */
export const WEBHOOK_EVENTS = [
  'inquiry.submitted',
  'inquiry.needs_correction',
  'inquiry.awaiting_payment',
  'inquiry.answered',
  'inquiry.rejected',
  'payment.settled',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
