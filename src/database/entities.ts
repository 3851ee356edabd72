import { AuditLog } from '../modules/audit/entities/audit-log.entity';
import { CalendarDay } from '../modules/calendar/entities/calendar-day.entity';
import { Job } from '../modules/jobs/entities/job.entity';
import { StaffUser } from '../modules/membership/entities/staff-user.entity';
import { RateLimitCounter } from '../modules/rate-limit/entities/rate-limit-counter.entity';

/**
 * Every entity of the application. One explicit list (no file globs) so discovery is the
 * same in the build, in Jest and in the CLI. Modules still declare their own entities
 * with MikroOrmModule.forFeature.
 */
export const ALL_ENTITIES = [AuditLog, CalendarDay, Job, RateLimitCounter, StaffUser];
