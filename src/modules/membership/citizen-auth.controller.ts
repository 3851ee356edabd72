import { Body, Controller, Get, HttpCode, Ip, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ApiProblems, CurrentActor, PathParam, Principals, Public, Roles } from '@app/common';
import { RateLimit } from '../rate-limit/rate-limit.guard';
import { CitizenAuthService } from './citizen-auth.service';
import {
  CitizenAccountDto,
  CitizenProfileDto,
  FindCitizenQueryDto,
  MobileChangeConfirmDto,
  MobileChangedDto,
  MobileChangeRequestDto,
  OtpRequestDto,
  OtpRequestedDto,
  OtpVerifiedDto,
  OtpVerifyDto,
  RefreshDto,
  RegisterDto,
  RegisteredDto,
  TokenPairDto,
  UpdateCitizenAccountDto,
  UpdateProfileDto,
} from './dto/citizen-auth.dto';

@ApiTags('auth')
@Controller('auth')
export class CitizenAuthController {
  constructor(private readonly auth: CitizenAuthService) {}

  @Post('otp')
  @Public()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Step 1 — send an SMS code to a mobile number (login or membership)',
    description:
      'Sends a 6-digit code valid for 120 s. The answer is the same whether or not the number is a member. ' +
      'Another code may be requested after 60 s; at most 5 codes per number and 20 per client IP per hour ' +
      '(429 with Retry-After beyond). In the sandbox the code can be read at GET /api/v1/sandbox/sms-outbox.',
  })
  @ApiAcceptedResponse({ type: OtpRequestedDto })
  @ApiProblems(400, 429)
  requestCode(@Body() dto: OtpRequestDto, @Ip() ip: string): Promise<OtpRequestedDto> {
    return this.auth.requestCode(dto.mobile, ip);
  }

  @Post('otp/verify')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Step 2 — check the SMS code',
    description:
      'A member gets tokens (`status: authenticated`); a new number gets a `registrationToken` for POST /api/v1/auth/register. ' +
      'Wrong code: `OTP_INVALID` with `attemptsLeft`; after 5 wrong codes `OTP_LOCKED`; expired: `OTP_EXPIRED`. ' +
      'By default at most 120 checks per client IP per hour (`RATE_LIMITED`, 429 with Retry-After beyond).',
  })
  @ApiOkResponse({ type: OtpVerifiedDto })
  @ApiProblems(400, 429)
  verify(@Body() dto: OtpVerifyDto, @Ip() ip: string): Promise<OtpVerifiedDto> {
    return this.auth.verifyCode(dto.mobile, dto.code, ip);
  }

  @Post('register')
  @Public()
  @RateLimit({ name: 'register', limit: 30, windowSeconds: 3600 })
  @ApiOperation({
    summary: 'Step 3 (new numbers) — complete the membership',
    description: 'One account per national ID and per mobile number (409). The national ID checksum is validated.',
  })
  @ApiCreatedResponse({ type: RegisteredDto })
  @ApiProblems(400, 401, 409, 429)
  register(@Body() dto: RegisterDto): Promise<RegisteredDto> {
    return this.auth.register(dto);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @RateLimit({ name: 'refresh', limit: 300, windowSeconds: 3600 })
  @ApiOperation({
    summary: 'Exchange a refresh token for a new token pair (citizens and staff)',
    description: 'Refresh tokens rotate: each works once. Presenting an already-used one revokes every session of that login (`REFRESH_TOKEN_REUSED`).',
  })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiProblems(400, 401, 429)
  refresh(@Body() dto: RefreshDto): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({
    summary: 'End the session of a refresh token',
    description:
      'Revokes the refresh token’s session and ends the account’s access tokens at once (TOKEN_REVOKED); the account’s ' +
      'other sessions get new access tokens at their next refresh. Idempotent.',
  })
  @ApiNoContentResponse({ description: 'Session ended' })
  @ApiProblems(400)
  async logout(@Body() dto: RefreshDto): Promise<void> {
    await this.auth.logout(dto.refreshToken);
  }
}

@ApiTags('me')
@ApiBearerAuth('citizen')
@Principals('citizen')
@Controller('me')
export class MeController {
  constructor(private readonly auth: CitizenAuthService) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in citizen’s profile' })
  @ApiOkResponse({ type: CitizenProfileDto })
  @ApiProblems(401, 403)
  me(@CurrentActor() actor: Actor): Promise<CitizenProfileDto> {
    return this.auth.profile(actor.id!);
  }

  @Post('identity/verify')
  @HttpCode(200)
  @RateLimit({ name: 'identity-verify', limit: 10, windowSeconds: 3600 })
  @ApiOperation({
    summary: 'Verify my identity against the registries (retry)',
    description:
      'For members registered before identity verification, or whose check could not finish: the account’s mobile and national ID are checked ' +
      'against the mobile-ownership registry and its names and birth date against the civil record (correct names with PATCH /api/v1/me first). ' +
      'Refusals: IDENTITY_MOBILE_MISMATCH, IDENTITY_RECORD_MISMATCH (naming the fields), IDENTITY_NOT_FOUND, IDENTITY_SERVICE_UNAVAILABLE (503 + Retry-After). ' +
      'When the registry disagrees (e.g. the mobile is registered to a family member) a region service desk verifies in person. Answers the profile, `identity.verified: true`.',
  })
  @ApiOkResponse({ type: CitizenProfileDto })
  @ApiProblems(401, 403, 422, 429, 503)
  verifyIdentity(@CurrentActor() actor: Actor): Promise<CitizenProfileDto> {
    return this.auth.verifyIdentity(actor.id!);
  }

  @Post('mobile')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Change my mobile — step 1: send a code to the new number',
    description:
      'For verified members (IDENTITY_NOT_VERIFIED otherwise). The new number is first checked against your national ID in the mobile-ownership registry ' +
      '(Shahkar): IDENTITY_MOBILE_MISMATCH (422) when it is not registered to you, IDENTITY_SERVICE_UNAVAILABLE (503 + Retry-After) when the registry cannot ' +
      'be reached — in both cases no SMS is sent. Also refused: MOBILE_UNCHANGED (your number today), MOBILE_ALREADY_REGISTERED (409, another member’s). ' +
      'Then a 6-digit code valid for 120 s goes to the NEW number, with the login code’s limits (another after 60 s; at most 5 per number and 20 per client ' +
      'IP per hour, 429 + Retry-After beyond). In the sandbox the code can be read at GET /api/v1/sandbox/sms-outbox. Confirm with POST /api/v1/me/mobile/confirm.',
  })
  @ApiAcceptedResponse({ type: OtpRequestedDto })
  @ApiProblems(400, 401, 403, 409, 422, 429, 503)
  requestMobileChange(@CurrentActor() actor: Actor, @Body() dto: MobileChangeRequestDto, @Ip() ip: string): Promise<OtpRequestedDto> {
    return this.auth.requestMobileChange(actor.id!, dto.mobile, ip);
  }

  @Post('mobile/confirm')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Change my mobile — step 2: confirm with the code sent to the new number',
    description:
      'Checks the code as at login (OTP_INVALID with `attemptsLeft`, OTP_LOCKED after 5 wrong codes, OTP_EXPIRED) and asks the registry again ' +
      '(IDENTITY_MOBILE_MISMATCH, IDENTITY_SERVICE_UNAVAILABLE). The number must still be free (MOBILE_ALREADY_REGISTERED). Then the mobile is replaced, ' +
      'EVERY session of the account ends (its refresh tokens and access tokens, this request’s included: TOKEN_REVOKED), and the answer carries a fresh ' +
      'token pair for the caller — keep it. The old number is told by SMS and can no longer sign in; the new one signs in with POST /api/v1/auth/otp. Audited.',
  })
  @ApiOkResponse({ type: MobileChangedDto })
  @ApiProblems(400, 401, 403, 409, 422, 429, 503)
  confirmMobileChange(@CurrentActor() actor: Actor, @Body() dto: MobileChangeConfirmDto, @Ip() ip: string): Promise<MobileChangedDto> {
    return this.auth.confirmMobileChange(actor.id!, dto.mobile, dto.code, ip);
  }

  @Patch()
  @ApiOperation({
    summary: 'Correct names or set an e-mail address',
    description: 'The national ID cannot be changed. A `mobile` field is refused with MOBILE_CHANGE_NOT_HERE: use POST /api/v1/me/mobile and POST /api/v1/me/mobile/confirm.',
  })
  @ApiOkResponse({ type: CitizenProfileDto })
  @ApiProblems(400, 401, 403)
  update(@CurrentActor() actor: Actor, @Body() dto: UpdateProfileDto): Promise<CitizenProfileDto> {
    return this.auth.updateProfile(actor.id!, dto);
  }
}

@ApiTags('admin-citizens')
@ApiBearerAuth('staff')
@Roles('admin')
@Controller('admin/citizens')
export class AdminCitizensController {
  constructor(private readonly auth: CitizenAuthService) {}

  @Get()
  @ApiOperation({ summary: 'Find a member by mobile number or national ID (admin)' })
  @ApiOkResponse({ type: CitizenAccountDto })
  @ApiProblems(400, 401, 403, 404)
  find(@Query() query: FindCitizenQueryDto): Promise<CitizenAccountDto> {
    return this.auth.findAccount(query);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Deactivate or reactivate a member (admin)',
    description: 'Deactivating ends the member’s sessions and access tokens at once (TOKEN_REVOKED) and refuses its sign-ins. Audited.',
  })
  @ApiOkResponse({ type: CitizenAccountDto })
  @ApiProblems(400, 401, 403, 404)
  update(@PathParam('id', { maxLength: 36, example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f80' }) id: string, @Body() dto: UpdateCitizenAccountDto): Promise<CitizenAccountDto> {
    return this.auth.setActive(id, dto.active);
  }
}
