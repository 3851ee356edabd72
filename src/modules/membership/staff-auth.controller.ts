import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Public } from '@app/common';
import { RateLimit } from '../rate-limit/rate-limit.guard';
import { StaffLoginDto, StaffTokenDto } from './dto/staff-login.dto';
import { StaffService } from './staff.service';

@ApiTags('staff-auth')
@Controller('staff/auth')
export class StaffAuthController {
  constructor(private readonly staff: StaffService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @RateLimit({ name: 'staff-login', limit: 30, windowSeconds: 300 })
  @ApiOperation({
    summary: 'Staff login (username + password)',
    description:
      'Returns a short-lived bearer token for region desk staff and administrators. In Swagger UI, ' +
      'paste the `accessToken` into Authorize → `staff`. Five wrong passwords in a row lock the ' +
      'account for 15 minutes. Demo credentials (embedded mode) are in `DATA_DIR/demo.json`.',
  })
  @ApiOkResponse({ type: StaffTokenDto })
  @ApiProblems(400, 401, 403, 429)
  login(@Body() dto: StaffLoginDto): Promise<StaffTokenDto> {
    return this.staff.login(dto.username, dto.password);
  }
}
