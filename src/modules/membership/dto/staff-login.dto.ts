import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class StaffLoginDto {
  @ApiProperty({ example: 'admin', description: 'Staff username' })
  @IsString()
  @MinLength(3)
  @MaxLength(64)
  username: string;

  @ApiProperty({ example: 'see DATA_DIR/demo.json', description: 'Password, exactly as typed' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;
}

export class StaffTokenDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' })
  accessToken: string;
  @ApiProperty({ example: 'Bearer' })
  tokenType: 'Bearer';
  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' })
  expiresIn: number;
  @ApiProperty({ example: ['admin'] })
  roles: string[];
  @ApiProperty({ example: [1, 2, 3] })
  regions: number[];
}
