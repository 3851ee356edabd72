import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsInt, IsOptional, IsString, Matches } from 'class-validator';
import { Between, MaxChars, PageMeta, PageQuery } from '@app/common';
import { MAX_AMOUNT_IN_WORDS } from '@app/iran';
import { TARIFF_YEAR_RANGE } from '../domain/tariff';
import { AmendmentKind } from '../entities/demand-amendment.entity';

export class AssessDto {
  @ApiProperty({ example: 1405, description: 'Jalali year to assess (needs a tariff for that year)' })
  @IsInt()
  @Between(TARIFF_YEAR_RANGE.min, TARIFF_YEAR_RANGE.max, { integer: true })
  jalaliYear: number;
}

export class AssessResultDto {
  @ApiProperty({ example: 1405 }) jalaliYear: number;
  @ApiProperty({ example: '01937a5e-8a4c-7cc1-9f1e-2b7d3c4a5e6f' }) tariffId: string;
  @ApiProperty({ example: 3000 }) properties: number;
  @ApiProperty({ example: 12 }) guilds: number;
  @ApiProperty({ example: 6012, description: 'Demands created now (existing ones are skipped: an assessment can be re-run or resumed)' }) created: number;
}

export class AmendDemandDto {
  @ApiProperty({ enum: AmendmentKind, example: 'correction' })
  @IsEnum(AmendmentKind)
  kind: AmendmentKind;

  @ApiProperty({ example: 'AREA_CORRECTION', description: 'Coded reason (upper case, e.g. COUNCIL_EXEMPTION, AREA_CORRECTION, COURT_VERDICT)' })
  @Matches(/^[A-Z][A-Z0-9_]{2,40}$/)
  @MaxChars(41)
  reasonCode: string;

  @ApiPropertyOptional({ example: 12_000_000, description: 'New principal in integer Rials, below 10^15 (amounts are written in Persian words up to that); not for write_off, which sets 0' })
  @IsOptional()
  @IsInt()
  @Between(0, Number(MAX_AMOUNT_IN_WORDS), { integer: true })
  newAmountRials?: number;

  @ApiPropertyOptional({ example: 'مساحت اعیان طبق صورت‌جلسه بازدید اصلاح شد' })
  @IsOptional()
  @IsString()
  @MaxChars(1000)
  note?: string;
}

export class DemandDto {
  @ApiProperty({ example: '01937a5e-8a4c-7cc1-9f1e-2b7d3c4a5e6f' }) id: string;
  @ApiProperty({ example: 'renewal' }) feeType: string;
  @ApiProperty({ example: '1-2-34-56-0-0-0' }) subjectCode: string;
  @ApiProperty({ example: 1405 }) jalaliYear: number;
  @ApiProperty({ example: 17_400_000 }) amountRials: number;
  @ApiProperty({ example: 17_400_000 }) assessedRials: number;
  @ApiProperty({ example: 'open', enum: ['open', 'paid', 'written_off'] }) status: string;
  @ApiProperty({ example: '01937a5e-8a4c-7cc1-9f1e-2b7d3c4a5e6f' }) tariffId: string;
  @ApiProperty({ description: 'Frozen calculation: inputs, rates, tariff version, penalty/discount rules' }) snapshot: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Amendments, oldest first' }) amendments: Array<Record<string, unknown>>;
}

/** One page of demands. */
export class DemandPageDto {
  @ApiProperty({ type: [DemandDto] }) items: DemandDto[];
  @ApiProperty({ type: PageMeta }) meta: PageMeta;
}

export class DemandsQuery extends PageQuery {
  @ApiPropertyOptional({ example: '1-2-34-56-0-0-0' }) @IsOptional() @IsString() @MaxChars(60) renewalCode?: string;
  @ApiPropertyOptional({ example: 'G-1-000123' }) @IsOptional() @Matches(/^[A-Za-z0-9-]{3,32}$/) @MaxChars(32) guildCode?: string;
}
