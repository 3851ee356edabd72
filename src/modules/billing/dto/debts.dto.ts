import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches } from 'class-validator';
import { Between, MaxChars } from '@app/common';

export class DebtsQuery {
  @ApiPropertyOptional({ example: '1-2-34-56-0-0-0', description: 'Renewal code (کد نوسازی) for renewal tax and waste fee; Persian digits accepted' })
  @IsOptional()
  @IsString()
  @MaxChars(60)
  renewalCode?: string;

  @ApiPropertyOptional({ example: 1, description: 'Region the user selected; must match the renewal code' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Between(1, 9)
  region?: number;

  @ApiPropertyOptional({ example: 'G-1-000123', description: 'Guild code (کد صنفی) for the guild fee' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9-]{3,32}$/)
  @MaxChars(32)
  guildCode?: string;
}

export class DebtItemDto {
  @ApiProperty({ example: 1404 }) jalaliYear: number;
  @ApiProperty({ example: 'renewal', enum: ['renewal', 'waste', 'guild'] }) feeType: string;
  @ApiProperty({ example: '1-2-34-56-0-0-0', description: 'Renewal code or guild code the item is for' }) subjectCode: string;
  @ApiProperty({ example: 17_400_000, description: 'Principal, integer Rials' }) principalRials: number;
  @ApiProperty({ example: 2_349_000, description: 'Late penalty, integer Rials' }) penaltyRials: number;
  @ApiProperty({ example: 0, description: 'Early-payment discount, integer Rials' }) discountRials: number;
  @ApiProperty({ example: 19_749_000, description: 'principal + penalty − discount' }) amountRials: number;
}

export class BillDto {
  @ApiProperty({ example: '123410165', description: 'Bill ID (شناسه قبض), bank standard, service type 6 (municipality)' }) billId: string;
  @ApiProperty({ example: '1974950908', description: 'Payment ID (شناسه پرداخت) carrying the amount / 1000, year digit, period and two check digits' })
  paymentId: string;
  @ApiProperty({ example: '00001234101650001974950908', description: '26 digits: bill ID and payment ID, each zero-padded to 13' }) barcode: string;
  @ApiProperty({ example: 19_749_000, description: 'Payable amount: the total rounded down to whole thousand Rials' }) amountRials: number;
  @ApiProperty({ example: '2026-12-02T10:00:00.000Z' }) expiresAt: string;
  @ApiProperty({ example: '1405/09/11', description: 'Expiry date (Jalali, Asia/Tehran)' }) expiresAtJalali: string;
}

export class DebtsDto {
  @ApiProperty({ example: 'property', enum: ['property', 'guild'] }) subjectType: string;
  @ApiProperty({ example: '1-2-34-56-0-0-0', description: 'Renewal code or guild code' }) subjectCode: string;
  @ApiProperty({ example: 1 }) region: number;
  @ApiProperty({ type: [DebtItemDto], description: 'Unpaid demands by year and fee type' }) items: DebtItemDto[];
  @ApiProperty({ example: 17_400_000 }) principalRials: number;
  @ApiProperty({ example: 2_349_000 }) penaltyRials: number;
  @ApiProperty({ example: 0 }) discountRials: number;
  @ApiProperty({ example: 19_749_000, description: 'Exact total of the items' }) totalRials: number;
  @ApiProperty({ example: true, description: 'Nothing is owed' }) settled: boolean;
  @ApiProperty({
    type: BillDto,
    nullable: true,
    description:
      'The bill to pay the total with; null when nothing is payable (total below 1,000 Rials or settled). One open bill per debt set: while an open, unexpired bill already covers exactly these debts (e.g. the bill of an inquiry awaiting payment for this property) the same bill (same billId/paymentId) is returned, not a second one.',
  })
  bill: BillDto | null;
}

export class PaymentHistoryItemDto {
  @ApiProperty({ example: '123410165' }) billId: string;
  @ApiProperty({ example: '1974950908' }) paymentId: string;
  @ApiProperty({ example: 19_749_000 }) amountRials: number;
  @ApiProperty({ example: '2026-11-25T08:30:00.000Z' }) paidAt: string;
  @ApiProperty({ example: '1405/09/04' }) paidAtJalali: string;
  @ApiProperty({ example: 'bank', enum: ['gateway', 'bank'] }) channel: string;
  @ApiProperty({ example: 'BMI-20261125-000731', type: String, nullable: true, description: 'Receipt number (شماره پیگیری): the bank’s reference or the gateway’s trace number' })
  receiptNumber: string | null;
  @ApiProperty({ type: [DebtItemDto], description: 'The demands this payment settled (of this subject)' }) items: DebtItemDto[];
}

export class PaymentHistoryDto {
  @ApiProperty({ example: '1-2-34-56-0-0-0' }) subjectCode: string;
  @ApiProperty({ type: [PaymentHistoryItemDto] }) items: PaymentHistoryItemDto[];
}

/** `?renewalCode=…&region=…` or `?guildCode=…`, as for `/debts`; the region is required with a renewal code. */
export class PublicPaymentHistoryQuery extends DebtsQuery {}

export class PublicPaidItemDto {
  @ApiProperty({ example: 1404 }) jalaliYear: number;
  @ApiProperty({ example: 'renewal', enum: ['renewal', 'waste', 'guild'] }) feeType: string;
  @ApiProperty({ example: '1-2-34-56-0-0-0', description: 'Renewal code or guild code the item is for' }) subjectCode: string;
  @ApiProperty({ example: 19_749_000, description: 'What this payment settled of the item, integer Rials' }) amountRials: number;
}

export class PublicPaymentDto {
  @ApiProperty({ example: 19_749_000, description: 'Amount paid, integer Rials' }) amountRials: number;
  @ApiProperty({ example: '2026-11-25T08:30:00.000Z' }) paidAt: string;
  @ApiProperty({ example: '1405/09/04 12:00', description: 'Payment date and time (Jalali, Asia/Tehran)' }) paidAtJalali: string;
  @ApiProperty({ example: 'bank', enum: ['gateway', 'bank'], description: 'bank: a bank app, ATM or branch by bill ID; gateway: online payment' })
  channel: string;
  @ApiProperty({ example: 'BMI-20261125-000731', type: String, nullable: true, description: 'Receipt number (شماره پیگیری): the bank’s reference or the gateway’s trace number' })
  receiptNumber: string | null;
  @ApiProperty({ type: [PublicPaidItemDto], description: 'Years and fee types the payment settled' }) items: PublicPaidItemDto[];
}

export class PublicPaymentHistoryDto {
  @ApiProperty({ example: 'property', enum: ['property', 'guild'] }) subjectType: string;
  @ApiProperty({ example: '1-2-34-56-0-0-0', description: 'Renewal code or guild code' }) subjectCode: string;
  @ApiProperty({ example: 1 }) region: number;
  @ApiProperty({ type: [PublicPaymentDto], description: 'Paid bills, newest first' }) items: PublicPaymentDto[];
}

export class FileStatusDto {
  @ApiProperty({ example: '1-2-34-56-0-0-0' }) renewalCode: string;
  @ApiProperty({ example: false, description: 'No unpaid renewal, waste or guild demand of the property and its guild units' }) settled: boolean;
  @ApiProperty({ example: 19_749_000 }) totalRials: number;
  @ApiProperty({ type: [DebtItemDto] }) items: DebtItemDto[];
  @ApiProperty({ type: BillDto, nullable: true, description: 'One bill that settles the whole file' }) bill: BillDto | null;
}
