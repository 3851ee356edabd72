import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches } from 'class-validator';
import { Between, IsCalendarDay, IsIsoDateTime, MaxChars } from '@app/common';
import { BILL_MAX_AMOUNT_RIALS } from '@app/iran';

export class BankBillPaymentDto {
  @ApiProperty({ example: '123410165', description: 'Bill ID as the payer typed or scanned it (check digit validated)' })
  @IsString()
  @Matches(/^\d{6,13}$/)
  @MaxChars(13)
  billId: string;

  @ApiProperty({ example: '1974950908', description: 'Payment ID (both check digits validated against the bill ID)' })
  @IsString()
  @Matches(/^\d{6,13}$/)
  @MaxChars(13)
  paymentId: string;

  @ApiProperty({ example: 19_749_000, description: 'Amount received, integer Rials; must equal the bill amount (a bill carries at most 99,999,999,000 Rials)' })
  @IsInt()
  @Between(1, Number(BILL_MAX_AMOUNT_RIALS), { integer: true })
  amount: number;

  @ApiProperty({ example: 'BMI-140509041230-000123', description: 'The bank’s unique reference (trace number); a report is idempotent by it' })
  @Matches(/^[A-Za-z0-9._:-]{4,64}$/)
  @MaxChars(64)
  bankReference: string;

  @ApiProperty({ example: '2026-11-25T08:30:00Z', description: 'When the payer paid (ISO 8601); between the bill’s issue and its expiry, and not in the future (5 minutes of clock skew allowed)' })
  @IsIsoDateTime()
  paidAt: string;
}

export class BankBillPaymentResultDto {
  @ApiProperty({ example: 'settled', enum: ['settled'] }) status: string;
  @ApiProperty({ example: '123410165' }) billId: string;
  @ApiProperty({ example: '1974950908' }) paymentId: string;
  @ApiProperty({ example: 19_749_000 }) amountRials: number;
  @ApiProperty({ example: 'BMI-140509041230-000123' }) bankReference: string;
  @ApiProperty({ example: '2026-11-25T08:30:00.000Z' }) paidAt: string;
  @ApiProperty({ example: '2026-11-25T08:30:05.120Z', description: 'When the municipality recorded the report (the same on replays)' }) recordedAt: string;
}

export class StatementQuery {
  @ApiProperty({ example: '1405/09/04', description: 'Day of payment in Asia/Tehran: Jalali 1405/09/04 or Gregorian 2026-11-25' })
  @IsCalendarDay()
  date: string;
}

export class StatementDto {
  @ApiProperty({ example: '2026-11-25' }) date: string;
  @ApiProperty({ example: '1405/09/04' }) dateJalali: string;
  @ApiProperty({ example: 2 }) count: number;
  @ApiProperty({ example: 39_498_000 }) totalRials: number;
  @ApiProperty({ type: [BankBillPaymentResultDto] }) items: BankBillPaymentResultDto[];
}
