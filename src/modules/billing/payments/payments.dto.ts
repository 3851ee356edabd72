import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { MaxChars, PageMeta, PageQuery } from '@app/common';
import { PAYMENT_GATEWAY_NAMES } from '../../../config/app-config';
import { PaymentStatus } from './payment.entity';

export class CreatePaymentDto {
  @ApiProperty({ example: '123410165', description: 'Bill ID (شناسه قبض) from GET /debts; Persian digits accepted' })
  @IsString()
  @Matches(/^\d{6,13}$/, { message: 'billId must be 6 to 13 digits' })
  @MaxChars(13)
  billId: string;

  @ApiPropertyOptional({ enum: PAYMENT_GATEWAY_NAMES, description: 'Gateway to pay with; default PAYMENT_DEFAULT_GATEWAY. Must be enabled.' })
  @IsOptional()
  @IsIn(PAYMENT_GATEWAY_NAMES as unknown as string[])
  gateway?: string;

  @ApiPropertyOptional({
    example: 'https://shahr.qazvin.ir/payments/done',
    description:
      'Absolute URL the payer returns to after the gateway, with `?paymentId=` added (never the status: ask GET /payments/{id}). ' +
      'Its origin must be PUBLIC_URL’s or one of PAYMENT_RETURN_URL_ORIGINS. Leave it out and the payer lands on this ' +
      'service’s Persian result page, `PUBLIC_URL/api/v1/payments/result?paymentId=…` (paid / failed / pending, as verified ' +
      'with the gateway).',
  })
  @IsOptional()
  @IsString()
  @MaxChars(2000)
  returnUrl?: string;
}

export class PaymentStartedDto {
  @ApiProperty({ example: '1b4e28ba-2fa1-4d3b-9c5e-5f0d3a1c2b7e' }) paymentId: string;
  @ApiProperty({ example: 'http://localhost:3000/api/v1/sandbox/gateway/0f1e2d3c4b5a69788796a5b4c3d2e1f0', description: 'Send the payer’s browser here (GET)' })
  redirectUrl: string;
  @ApiProperty({ example: 'sandbox', enum: PAYMENT_GATEWAY_NAMES }) gateway: string;
  @ApiProperty({ example: 19_749_000, description: 'Integer Rials: the bill amount' }) amountRials: number;
}

export class PaymentStatusDto {
  @ApiProperty({ example: '1b4e28ba-2fa1-4d3b-9c5e-5f0d3a1c2b7e' }) paymentId: string;
  @ApiProperty({ example: '123410165' }) billId: string;
  @ApiProperty({ example: '1974950908', description: 'The bill’s payment ID (شناسه پرداخت)' }) billPaymentId: string;
  @ApiProperty({ example: 'sandbox', enum: PAYMENT_GATEWAY_NAMES }) gateway: string;
  @ApiProperty({ example: 19_749_000 }) amountRials: number;
  @ApiProperty({
    enum: PaymentStatus,
    example: PaymentStatus.Paid,
    description:
      '`pending` (at the gateway or its answer not known yet: ask again later), `paid` (bill settled), `failed`, `cancelled`, ' +
      '`amount_mismatch` (the gateway confirmed another amount; returned to the card), `reversing` (paid but the bill could ' +
      'not be settled, e.g. expired or paid another way: the money is being returned), `reversed` (returned)',
  })
  status: string;
  @ApiProperty({ example: '2026-11-25T17:40:00.000Z' }) createdAt: string;
  @ApiProperty({ type: String, example: '2026-11-25T17:42:10.000Z', nullable: true }) paidAt: string | null;
  @ApiProperty({ type: String, example: '1405/09/04 21:12', nullable: true, description: 'Jalali, Asia/Tehran' }) paidAtJalali: string | null;
  @ApiProperty({ type: String, example: 'SBX1234567890123', nullable: true, description: 'The gateway’s reference of a paid payment' }) bankReference: string | null;
}

export class ReceiptItemDto {
  @ApiProperty({ example: 1404 }) jalaliYear: number;
  @ApiProperty({ example: 'renewal', enum: ['renewal', 'waste', 'guild'] }) feeType: string;
  @ApiProperty({ example: '1-2-34-56-0-0-0' }) subjectCode: string;
  @ApiProperty({ example: 19_749_000 }) amountRials: number;
}

export class ReceiptDto {
  @ApiProperty({ example: '1b4e28ba-2fa1-4d3b-9c5e-5f0d3a1c2b7e' }) paymentId: string;
  @ApiProperty({ example: '123410165' }) billId: string;
  @ApiProperty({ example: '1974950908' }) billPaymentId: string;
  @ApiProperty({ example: 19_749_000, description: 'What was paid: the rounded payable amount (= `roundedPayableRials`)' }) amountRials: number;
  @ApiProperty({ example: 'نوزده میلیون و هفتصد و چهل و نه هزار ریال' }) amountInWords: string;
  @ApiProperty({ example: 19_749_640, description: 'Amount due (مبلغ بدهی): the sum of `items`' }) dueRials: number;
  @ApiProperty({
    example: 19_749_000,
    description: 'Rounded payable (مبلغ قابل پرداخت): the amount due rounded down to whole thousand Rials, as every bill is',
  })
  roundedPayableRials: number;
  @ApiProperty({
    example: 640,
    minimum: 0,
    maximum: 999,
    description:
      'Rounding difference (`dueRials` − `roundedPayableRials`, 0–999 Rials): waived (بخشوده), not carried to a later bill; ' +
      'the items are settled in full',
  })
  roundingWaivedRials: number;
  @ApiProperty({ example: 'sandbox', enum: PAYMENT_GATEWAY_NAMES }) gateway: string;
  @ApiProperty({ example: 'SBX1234567890123' }) bankReference: string;
  @ApiProperty({ type: String, example: '123456789012', nullable: true, description: 'Shaparak retrieval reference (شماره مرجع)' }) rrn: string | null;
  @ApiProperty({ type: String, example: '123456', nullable: true, description: 'Trace number (شماره پیگیری)' }) traceNo: string | null;
  @ApiProperty({ type: String, example: '603799******0000', nullable: true }) cardMask: string | null;
  @ApiProperty({ example: '2026-11-25T17:42:10.000Z' }) paidAt: string;
  @ApiProperty({ example: '1405/09/04 21:12' }) paidAtJalali: string;
  @ApiProperty({ type: [ReceiptItemDto] }) items: ReceiptItemDto[];
}

export class ReceiptQuery {
  @ApiPropertyOptional({ enum: ['json', 'html'], description: '`html`: a printable Persian page (also with `Accept: text/html`)' })
  @IsOptional()
  @IsIn(['json', 'html'])
  format?: 'json' | 'html';
}

export class AdminPaymentsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PaymentStatus })
  @IsOptional()
  @IsEnum(PaymentStatus)
  status?: PaymentStatus;

  @ApiPropertyOptional({ description: 'Only payments a person must look at (a reversal the gateway refused)' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  needsReview?: boolean;

  @ApiPropertyOptional({ example: '123410165' })
  @IsOptional()
  @Matches(/^\d{6,13}$/)
  @MaxChars(13)
  billId?: string;
}

export class AdminPaymentDto extends PaymentStatusDto {
  @ApiProperty({ example: 'http://localhost:3000/' }) returnUrl: string;
  @ApiProperty({ type: String, nullable: true, example: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', description: 'Gateway token / authority' }) gatewayToken: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'SEP RefNum the callback carried' }) gatewayReference: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Verified transaction reference (also of reversed and mismatched payments)' }) verifiedReference: string | null;
  @ApiProperty({ type: String, nullable: true, example: '603799******0000' }) cardMask: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'BILL_EXPIRED' }) failureReason: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'SEP verify: no answer within 10000 ms' }) lastVerifyError: string | null;
  @ApiProperty({ example: 1 }) attempts: number;
  @ApiProperty({ example: false }) needsReview: boolean;
  @ApiProperty({ type: String, nullable: true, example: '2026-11-25T17:50:00.000Z' }) reversedAt: string | null;
  @ApiProperty({ example: '2026-11-25T17:42:10.000Z' }) updatedAt: string;
}

export class AdminPaymentPageDto {
  @ApiProperty({ type: [AdminPaymentDto] }) items: AdminPaymentDto[];
  @ApiProperty({ type: PageMeta }) meta: PageMeta;
}
