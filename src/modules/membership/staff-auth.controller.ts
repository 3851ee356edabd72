import { Body, Controller, Get, HttpCode, Ip, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, PageQuery, PathParam, Public, Roles } from '@app/common';
import { RateLimit } from '../rate-limit/rate-limit.guard';
import { SecondFactorDto } from './dto/citizen-auth.dto';
import { CreateStaffDto, StaffDto, StaffLoginDto, StaffLoginResultDto, StaffPageDto, UpdateStaffDto } from './dto/staff-login.dto';
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
    summary: 'Staff login, step 1: username + password',
    description:
      'Region clerks and inspectors get tokens at once. Admins, region managers and finance officers get ' +
      '`second_factor_required` and an SMS code: finish with POST /api/v1/staff/auth/verify. Then, in Swagger UI, ' +
      'paste the `accessToken` into Authorize → `staff`. No account is ever locked: after 5 failed sign-ins of a ' +
      'username from one address (STAFF_LOGIN_FREE_FAILURES_PER_IP), and after 50 from all addresses together ' +
      '(STAFF_LOGIN_FREE_FAILURES_PER_USERNAME), each further failure doubles the wait (1 s, 2 s, 4 s, … up to ' +
      'STAFF_LOGIN_MAX_DELAY_SECONDS) before the next attempt: `STAFF_LOGIN_THROTTLED` (429 with Retry-After), the ' +
      'password unchecked. Unknown, disabled and existing usernames are answered alike. A successful sign-in clears ' +
      'the counters of the username and of its address. Second-factor codes: at most STAFF_OTP_MAX_PER_HOUR (20) per ' +
      'mobile per hour, apart from the citizens’ code limits. Demo credentials (sandbox) are in `DATA_DIR/demo.json`.',
  })
  @ApiOkResponse({ type: StaffLoginResultDto })
  @ApiProblems(400, 401, 409, 429)
  login(@Body() dto: StaffLoginDto, @Ip() ip: string): Promise<StaffLoginResultDto> {
    return this.staff.login(dto.username, dto.password, ip);
  }

  @Post('verify')
  @Public()
  @HttpCode(200)
  @RateLimit({ name: 'staff-2fa', limit: 60, windowSeconds: 300 })
  @ApiOperation({
    summary: 'Staff login, step 2: the SMS code',
    description: 'Wrong code: `OTP_INVALID` with `attemptsLeft`; after 5 wrong codes the login must restart.',
  })
  @ApiOkResponse({ type: StaffLoginResultDto })
  @ApiProblems(400, 429)
  verify(@Body() dto: SecondFactorDto): Promise<StaffLoginResultDto> {
    return this.staff.verifySecondFactor(dto.challengeId, dto.code);
  }
}

@ApiTags('admin-staff')
@ApiBearerAuth('staff')
@Roles('admin')
@Controller('admin/staff')
export class AdminStaffController {
  constructor(private readonly staff: StaffService) {}

  @Get()
  @ApiOperation({ summary: 'List staff accounts (admin)', description: 'By username, a page at a time (`?page=&pageSize=`); `meta.total` counts all accounts.' })
  @ApiOkResponse({ type: StaffPageDto })
  @ApiProblems(400, 401, 403)
  list(@Query() q: PageQuery): Promise<StaffPageDto> {
    return this.staff.list(q);
  }

  @Post()
  @ApiOperation({
    summary: 'Create a staff account (admin)',
    description: 'Every role except admin is bound to regions 1-3. Roles with a second factor need a mobile number. Audited.',
  })
  @ApiCreatedResponse({ type: StaffDto })
  @ApiProblems(400, 401, 403, 409)
  async create(@Body() dto: CreateStaffDto): Promise<StaffDto> {
    const created = await this.staff.create(dto);
    return this.staff.get(created.id);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One staff account (admin)' })
  @ApiOkResponse({ type: StaffDto })
  @ApiProblems(401, 403, 404)
  get(@PathParam('id', { maxLength: 36, example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f80' }) id: string): Promise<StaffDto> {
    return this.staff.get(id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change roles, regions, mobile; disable; reset the password (admin)',
    description:
      'Role, region, password and disable changes end the account’s sessions at once: its refresh tokens are revoked ' +
      'and its access tokens answer 401 TOKEN_REVOKED (within AUTH_REVOCATION_CACHE_MS on every instance). Audited.',
  })
  @ApiOkResponse({ type: StaffDto })
  @ApiProblems(400, 401, 403, 404)
  update(@PathParam('id', { maxLength: 36, example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f80' }) id: string, @Body() dto: UpdateStaffDto): Promise<StaffDto> {
    return this.staff.update(id, dto);
  }
}
