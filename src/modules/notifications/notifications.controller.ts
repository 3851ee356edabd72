import { Controller, Get, Ip, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiProblems, PROBLEM_CONTENT_TYPE, ProblemDto, Public, Roles } from '@app/common';
import { AdminSmsOutboxPageDto, AdminSmsOutboxQuery, SandboxSmsOutboxPageDto, SandboxSmsOutboxQuery } from './dto/sms-outbox.dto';
import { NotificationsService } from './notifications.service';
import { SandboxOutboxGuard } from './sandbox-outbox.guard';

@ApiTags('admin-notifications')
@ApiBearerAuth('staff')
@Roles('admin')
@Controller('admin/sms-outbox')
export class AdminSmsOutboxController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({
    summary: 'SMS outbox: every SMS the system sent or is sending (admin)',
    description:
      'Newest first, paginated, optionally for one mobile (any spelling, Persian digits accepted). Shows the ' +
      'delivery status, the attempts and the last provider error: a `queued` message with a `lastError` is being ' +
      'retried (provider outage, credit or configuration problem) for up to 24 hours; `failed` messages were ' +
      'refused for good (e.g. an invalid number). One-time codes are masked (`••••••`) with real providers.',
  })
  @ApiOkResponse({ type: AdminSmsOutboxPageDto })
  @ApiProblems(400, 401, 403)
  list(@Query() query: AdminSmsOutboxQuery): Promise<AdminSmsOutboxPageDto> {
    return this.notifications.adminOutbox(query);
  }
}

@ApiTags('sandbox')
@Controller('sandbox/sms-outbox')
export class SandboxSmsOutboxController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Public()
  @UseGuards(SandboxOutboxGuard)
  @ApiOperation({
    summary: 'Sandbox only: read the SMS "sent" to a mobile (e.g. your login code)',
    description:
      '**Exists only in the sandbox** (`SANDBOX_MODE` on and `SMS_PROVIDER=sandbox`), the way payment gateways’ ' +
      'test modes expose test data: no SMS leaves the system, and this endpoint shows what would have been sent, ' +
      'one-time codes in clear (and in the `code` field of login and second-factor messages), so integrators and demos can complete an OTP login without a phone.\n\n' +
      'Returns the messages to the mobile from the last hour, newest first, a page at a time (`?page=&pageSize=`, default 20): ' +
      '`{items, meta}`, the newest message (your latest code) first in `items[0]`. Limited to 60 requests per ' +
      'minute per client IP. In production (or with a real SMS provider) this path answers ' +
      '`404 ROUTE_NOT_FOUND`, exactly like a path that does not exist.',
  })
  @ApiOkResponse({
    type: SandboxSmsOutboxPageDto,
    description: 'One page, newest first; `items` is empty when nothing was sent to the number in the last hour',
  })
  @ApiProblems(400, 429)
  @ApiResponse({
    status: 404,
    description: 'Not the sandbox: `ROUTE_NOT_FOUND`, exactly as for a path that does not exist',
    content: { [PROBLEM_CONTENT_TYPE.split(';')[0]]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
  })
  list(@Query() query: SandboxSmsOutboxQuery, @Ip() ip: string): Promise<SandboxSmsOutboxPageDto> {
    return this.notifications.sandboxOutbox(query, ip);
  }
}
