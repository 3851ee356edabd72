import { AuditLog } from '../modules/audit/entities/audit-log.entity';
import { BankBillPayment } from '../modules/billing/entities/bank-bill-payment.entity';
import { Bill } from '../modules/billing/entities/bill.entity';
import { DemandAmendment } from '../modules/billing/entities/demand-amendment.entity';
import { Demand } from '../modules/billing/entities/demand.entity';
import { GuildLicence } from '../modules/billing/entities/guild-licence.entity';
import { RegionalValue } from '../modules/billing/entities/regional-value.entity';
import { Tariff } from '../modules/billing/entities/tariff.entity';
import { Payment } from '../modules/billing/payments/payment.entity';
import { SandboxTransaction } from '../modules/billing/payments/sandbox-transaction.entity';
import { CalculatorTariff } from '../modules/calculators/entities/calculator-tariff.entity';
import { CalendarDay } from '../modules/calendar/entities/calendar-day.entity';
import { Certificate } from '../modules/certificates/entities/certificate.entity';
import { DeskCase } from '../modules/desk/entities/desk-case.entity';
import { InquiryAttempt } from '../modules/inquiries/entities/inquiry-attempt.entity';
import { InquiryDocument } from '../modules/inquiries/entities/inquiry-document.entity';
import { Inquiry } from '../modules/inquiries/entities/inquiry.entity';
import { VisitSlot } from '../modules/inquiries/entities/visit-slot.entity';
import { IdempotencyRecord } from '../modules/org-api/entities/idempotency-record.entity';
import { OrgInquiryRequest } from '../modules/integration/entities/org-inquiry-request.entity';
import { WebhookAttempt } from '../modules/integration/entities/webhook-attempt.entity';
import { WebhookDelivery } from '../modules/integration/entities/webhook-delivery.entity';
import { WebhookEndpoint } from '../modules/integration/entities/webhook-endpoint.entity';
import { Job } from '../modules/jobs/entities/job.entity';
import { ApiClient } from '../modules/membership/entities/api-client.entity';
import { Citizen } from '../modules/membership/entities/citizen.entity';
import { IdentityRegistryPerson } from '../modules/membership/entities/identity-registry-person.entity';
import { Organization } from '../modules/membership/entities/organization.entity';
import { OtpChallenge } from '../modules/membership/entities/otp-challenge.entity';
import { RefreshToken } from '../modules/membership/entities/refresh-token.entity';
import { Region } from '../modules/membership/entities/region.entity';
import { StaffLoginThrottleRow } from '../modules/membership/entities/staff-login-throttle.entity';
import { StaffUser } from '../modules/membership/entities/staff-user.entity';
import { SmsMessage } from '../modules/notifications/entities/sms-message.entity';
import { CityLayerFeature } from '../modules/properties/entities/city-layer-feature.entity';
import { PropertyCertificate } from '../modules/properties/entities/property-certificate.entity';
import { PropertyOwner } from '../modules/properties/entities/property-owner.entity';
import { Property } from '../modules/properties/entities/property.entity';
import { WideningPlan } from '../modules/properties/entities/widening-plan.entity';
import { Zone } from '../modules/properties/entities/zone.entity';
import { RateLimitCounter } from '../modules/rate-limit/entities/rate-limit-counter.entity';

/**
 * Every entity of the application. One explicit list (no file globs) so discovery is the
 * same in the build, in Jest and in the CLI. Modules still declare their own entities
 * with MikroOrmModule.forFeature.
 */
export const ALL_ENTITIES = [
  ApiClient,
  AuditLog,
  BankBillPayment,
  Bill,
  CalculatorTariff,
  CalendarDay,
  Certificate,
  CityLayerFeature,
  Citizen,
  Demand,
  DeskCase,
  DemandAmendment,
  GuildLicence,
  IdempotencyRecord,
  IdentityRegistryPerson,
  Inquiry,
  InquiryAttempt,
  InquiryDocument,
  Job,
  Organization,
  OrgInquiryRequest,
  OtpChallenge,
  Payment,
  Property,
  PropertyCertificate,
  PropertyOwner,
  RateLimitCounter,
  RefreshToken,
  Region,
  RegionalValue,
  SandboxTransaction,
  SmsMessage,
  StaffLoginThrottleRow,
  StaffUser,
  Tariff,
  VisitSlot,
  WebhookAttempt,
  WebhookDelivery,
  WebhookEndpoint,
  WideningPlan,
  Zone,
];
