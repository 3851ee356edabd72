import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Matches, MinLength } from 'class-validator';
import { IsNationalId, MaxChars } from '@app/common';

export class DeskIdentityVerificationDto {
  @ApiProperty({ example: '0499370899', description: 'National ID on the card in front of the clerk; the member holding it is verified' })
  @IsString()
  @IsNationalId()
  nationalId: string;

  @ApiProperty({ example: 1, enum: [1, 2, 3], description: 'The region of the service desk where the citizen appeared; must be one of the clerk’s regions (recorded)' })
  @IsInt()
  @IsIn([1, 2, 3])
  region: number;

  @ApiProperty({ example: '1A23456789', description: 'Serial number printed on the national ID card (smart card: 10 characters; old card: the serial on its back)' })
  @IsString()
  @MaxChars(12)
  @Matches(/^[0-9A-Za-z]{6,12}$/, { message: 'cardSerial must be 6 to 12 letters or digits' })
  cardSerial: string;

  @ApiProperty({ example: 'شماره همراه به نام همسر ثبت شده است؛ کارت ملی اصل رؤیت شد.', description: 'Why the member is verified in person (e.g. the mobile is registered to a family member, or the registry is down)' })
  @IsString()
  @MinLength(5)
  @MaxChars(300)
  reason: string;
}
