import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ApiProblems, CurrentActor, Roles } from '@app/common';
import { CitizenAccountDto } from '../dto/citizen-auth.dto';
import { DeskIdentityVerificationDto } from './desk-identity.dto';
import { DeskIdentityService } from './desk-identity.service';

@ApiTags('desk')
@ApiBearerAuth('staff')
@Controller('desk/identity-verifications')
export class DeskIdentityController {
  constructor(private readonly desk: DeskIdentityService) {}

  @Post()
  @HttpCode(200)
  @Roles('region_clerk', 'region_manager', 'admin')
  @ApiOperation({
    summary: 'Verify a member’s identity in person at a region desk',
    description:
      'For when the registries are down or disagree (e.g. the mobile is registered to a family member): the clerk, with the citizen’s national ID card ' +
      'in front of them, verifies the member holding that national ID. `region` is the desk where the citizen appeared and must be one of the ' +
      'clerk’s regions (403 IDENTITY_DESK_REGION_FORBIDDEN otherwise; administrators: any). Region, card serial and reason are audited ' +
      '(`citizen.identity.verified`, method `desk`) and the member gets an SMS. Already verified: answered as is, nothing sent.',
  })
  @ApiOkResponse({ type: CitizenAccountDto })
  @ApiProblems(400, 401, 403, 404)
  verify(@CurrentActor() actor: Actor, @Body() dto: DeskIdentityVerificationDto): Promise<CitizenAccountDto> {
    return this.desk.verify(actor, dto);
  }
}
