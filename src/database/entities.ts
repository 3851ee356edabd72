import { AuditLog } from '../modules/audit/entities/audit-log.entity';
import { CalendarDay } from '../modules/calendar/entities/calendar-day.entity';
import { Job } from '../modules/jobs/entities/job.entity';
import { ApiClient } from '../modules/membership/entities/api-client.entity';
import { Citizen } from '../modules/membership/entities/citizen.entity';
import { Organization } from '../modules/membership/entities/organization.entity';
import { OtpChallenge } from '../modules/membership/entities/otp-challenge.entity';
import { RefreshToken } from '../modules/membership/entities/refresh-token.entity';
import { Region } from '../modules/membership/entities/region.entity';
import { StaffUser } from '../modules/membership/entities/staff-user.entity';
import { SmsMessage } from '../modules/notifications/entities/sms-message.entity';
import { RateLimitCounter } from '../modules/rate-limit/entities/rate-limit-counter.entity';

/**
 * Every entity of the application. One explicit list (no file globs) so discovery is the
 * same in the build, in Jest and in the CLI. Modules still declare their own entities
 * with MikroOrmModule.forFeature.
 */
export const ALL_ENTITIES = [
  ApiClient,
  AuditLog,
  CalendarDay,
  Citizen,
  Job,
  Organization,
  OtpChallenge,
  RateLimitCounter,
  RefreshToken,
  Region,
  SmsMessage,
  StaffUser,
];
