import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, IsString, Matches } from 'class-validator';
import { Between, IsNationalId, MaxChars, PageMeta } from '@app/common';

export class CreateGuildLicenceDto {
  @ApiProperty({ example: 'G-1-000123', description: 'Guild code (کد صنفی) of the licence: letters, digits and -, 3-32 characters' })
  @Matches(/^[A-Za-z0-9-]{3,32}$/)
  @MaxChars(32)
  guildCode: string;

  @ApiProperty({ example: 'سوپرمارکت بهار' }) @IsString() @MaxChars(200) businessName: string;

  @ApiProperty({ example: 'food', description: 'A guild category key of the tariff (food, clothing, services, technical, medical, other)' })
  @Matches(/^[a-z0-9_]{1,40}$/)
  @MaxChars(40)
  category: string;

  @ApiProperty({ example: '0499370899' }) @IsNationalId() ownerNationalId: string;

  @ApiProperty({ example: '1-2-34-56-0-0-1', description: 'Renewal code of the property the business occupies' })
  @IsString()
  @MaxChars(40)
  renewalCode: string;

  // a unit is at most a whole parcel (the registry's parcel bound, 1000 ha)
  @ApiProperty({ example: 45, description: 'Area of the business unit, m²' }) @IsNumber() @Between(1, 10_000_000) areaM2: number;
}

export class GuildLicenceDto {
  @ApiProperty({ example: 'G-1-000123' }) guildCode: string;
  @ApiProperty({ example: 'سوپرمارکت بهار' }) businessName: string;
  @ApiProperty({ example: 'food' }) category: string;
  @ApiProperty({ example: '0499370899' }) ownerNationalId: string;
  @ApiProperty({ example: '1-2-34-56-0-0-1' }) renewalCode: string;
  @ApiProperty({ example: 1 }) region: number;
  @ApiProperty({ example: 45 }) areaM2: number;
  @ApiProperty({ example: true }) active: boolean;
}

/** One page of guild licences. */
export class GuildLicencePageDto {
  @ApiProperty({ type: [GuildLicenceDto] }) items: GuildLicenceDto[];
  @ApiProperty({ type: PageMeta }) meta: PageMeta;
}
