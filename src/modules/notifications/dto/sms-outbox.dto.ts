import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { MaxChars, PageMeta, PageQuery } from '@app/common';
import { SmsStatus } from '../entities/sms-message.entity';

/** One SMS of the outbox. */
export class SmsOutboxItemDto {
  @ApiProperty({ example: '0193b2d4-7c1e-7a3b-9d2f-5e8c1a6b4f20' })
  id: string;

  @ApiProperty({ example: '09121234567', description: 'Canonical mobile number of the receiver' })
  mobile: string;

  @ApiProperty({ example: 'otp_login', description: 'Template key (`otp_login`, `staff_2fa`, `text`, …)' })
  template: string;

  @ApiProperty({
    example: 'کد ورود شما به سامانه شهروندسپاری شهرداری قزوین: 482917\nاین کد را به کسی ندهید.',
    description:
      'Rendered Persian text. With the sandbox provider one-time codes appear in clear; with a real provider ' +
      'they are stored masked as `••••••`.',
  })
  body: string;

  @ApiProperty({ enum: ['sandbox', 'kavenegar', 'smsir'], example: 'sandbox', description: 'Provider that sends it' })
  provider: string;

  @ApiProperty({
    enum: SmsStatus,
    example: SmsStatus.Sent,
    description:
      '`queued` (waiting, or retrying after a provider outage), `sent` (accepted by the provider) or ' +
      '`failed` (the provider refused this message for good, or retries were exhausted)',
  })
  status: SmsStatus;

  @ApiProperty({ example: 1, description: 'Delivery attempts so far' })
  attempts: number;

  @ApiProperty({ example: '2025-04-01T08:15:30.000Z' })
  createdAt: string;

  @ApiProperty({ example: '2025-04-01T08:15:31.000Z', nullable: true, type: String })
  sentAt: string | null;
}

/** One SMS of the sandbox outbox: also the one-time code it carries, ready to send back. */
export class SandboxSmsOutboxItemDto extends SmsOutboxItemDto {
  @ApiProperty({
    example: '482917',
    nullable: true,
    type: String,
    description:
      'The one-time code of a login or second-factor SMS (`otp_login`, `staff_2fa`) in ASCII digits, as ' +
      '`POST /api/v1/auth/otp/verify` and `POST /api/v1/staff/auth/verify` take it; null for other messages. ' +
      'Only this sandbox endpoint has it.',
  })
  code: string | null;
}

/** The outbox as administrators see it: with the provider's last error. */
export class AdminSmsOutboxItemDto extends SmsOutboxItemDto {
  @ApiProperty({
    example: 'KAVENEGAR_418: Kavenegar 418: insufficient credit',
    nullable: true,
    type: String,
    description: 'Last delivery error (code and text); retried automatically unless the status is `failed`',
  })
  lastError: string | null;
}

/** One page of the sandbox outbox of a mobile. */
export class SandboxSmsOutboxPageDto {
  @ApiProperty({ type: [SandboxSmsOutboxItemDto], description: 'Newest first; empty when nothing was sent to the number in the last hour' })
  items: SandboxSmsOutboxItemDto[];

  @ApiProperty({ type: PageMeta })
  meta: PageMeta;
}

export class AdminSmsOutboxPageDto {
  @ApiProperty({ type: [AdminSmsOutboxItemDto] })
  items: AdminSmsOutboxItemDto[];

  @ApiProperty({ type: PageMeta })
  meta: PageMeta;
}

export class AdminSmsOutboxQuery extends PageQuery {
  @ApiPropertyOptional({
    example: '۰۹۱۲۱۲۳۴۵۶۷',
    description: 'Only messages to this mobile (any spelling: 0912…, +98912…, 98912…, Persian digits)',
  })
  @IsOptional()
  @IsString()
  @MaxChars(32)
  mobile?: string;
}

export class SandboxSmsOutboxQuery extends PageQuery {
  @ApiProperty({
    example: '09121234567',
    description: 'The mobile number the code was requested for (any spelling, Persian digits accepted)',
  })
  @IsString()
  @MaxChars(32)
  mobile: string;
}
