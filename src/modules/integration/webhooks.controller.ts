import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ApiProblems, CurrentActor, PathParam, Principals, Scopes } from '@app/common';
import { CreateWebhookDto, ListDeliveriesQueryDto, WebhookDeliveryDto, WebhookDeliveryPageDto, WebhookDto, WebhookSecretDto } from './dto/webhooks.dto';
import { OrgApi } from '../org-api/org-api.module';
import { WebhooksService } from './webhooks.service';

export const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description:
    'Any unique string (e.g. a UUID), 1–200 of `A-Z a-z 0-9 . _ : -`. The same key with the same request replays the stored answer for 24 h ' +
    '(header `Idempotent-Replayed: true`); with a different request it is 409 `IDEMPOTENCY_KEY_REUSED`; while the first is still running, 409 `IDEMPOTENCY_IN_PROGRESS`.',
  example: '5f1c9a7e-2b1d-4c3e-8f6a-9d0b1c2e3f4a',
  // what IdempotencyService accepts (IDEMPOTENCY_KEY_INVALID otherwise)
  schema: { type: 'string' as const, maxLength: 200, pattern: '^[A-Za-z0-9._:-]{1,200}$' },
};

@ApiTags('org-webhooks')
@ApiBearerAuth('organization')
@Principals('organization')
@Scopes('webhooks:manage')
@OrgApi()
@Controller('org/webhooks')
export class OrgWebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({
    summary: 'Register a webhook endpoint',
    description:
      'Events are POSTed as JSON signed with HMAC-SHA256 (`X-Qazvin-Signature: t=<unix>,v1=<hex>` over `t + "." + body`). ' +
      'The URL must be https and resolve only to public addresses (checked again before every delivery; redirects are not followed). ' +
      'The signing secret is in this answer only. Scope `webhooks:manage`.',
  })
  @ApiCreatedResponse({ type: WebhookSecretDto })
  @ApiProblems(400, 401, 403, 409, 429)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateWebhookDto): Promise<WebhookSecretDto> {
    return this.webhooks.create(actor.id!, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List webhook endpoints', description: 'The organization’s active endpoints (secrets are never listed).' })
  @ApiOkResponse({ type: [WebhookDto] })
  @ApiProblems(401, 403, 429)
  list(@CurrentActor() actor: Actor): Promise<WebhookDto[]> {
    return this.webhooks.list(actor.id!);
  }

  @Get('deliveries')
  @ApiOperation({
    summary: 'Webhook deliveries and their attempts',
    description:
      'The organization’s own deliveries, newest first, each with every attempt (HTTP status, duration, error). Filter by status, event or endpoint. ' +
      'Paginated: `?page=&pageSize=` (1–100, default 20); the answer is `{items, meta}`, `meta.total` counting every delivery that matches.',
  })
  @ApiOkResponse({ type: WebhookDeliveryPageDto, description: 'One page: `items` (newest first) and `meta` (`page`, `pageSize`, `total`)' })
  @ApiProblems(400, 401, 403, 429)
  deliveries(@CurrentActor() actor: Actor, @Query() q: ListDeliveriesQueryDto): Promise<WebhookDeliveryPageDto> {
    return this.webhooks.deliveries(actor.id!, q);
  }

  @Post('deliveries/:id/redeliver')
  @HttpCode(202)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({
    summary: 'Send a delivery again',
    description: 'Queues a new delivery of the same event (same event id and body, a fresh signature) to the same endpoint.',
  })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiProblems(401, 403, 404, 409, 429)
  redeliver(@CurrentActor() actor: Actor, @PathParam('id', { maxLength: 36, example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f81' }) id: string): Promise<WebhookDeliveryDto> {
    return this.webhooks.redeliver(actor.id!, id);
  }

  @Post(':id/rotate-secret')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Rotate a webhook signing secret', description: 'Answers the new secret once; deliveries from now on are signed with it.' })
  @ApiCreatedResponse({ type: WebhookSecretDto })
  @ApiProblems(401, 403, 404, 409, 429)
  rotate(@CurrentActor() actor: Actor, @PathParam('id', { maxLength: 36, example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f80' }) id: string): Promise<WebhookSecretDto> {
    return this.webhooks.rotateSecret(actor.id!, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Delete a webhook endpoint', description: 'No further deliveries go to it; its delivery log stays readable.' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(401, 403, 404, 409, 429)
  async remove(@CurrentActor() actor: Actor, @PathParam('id', { maxLength: 36, example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f80' }) id: string): Promise<void> {
    await this.webhooks.remove(actor.id!, id);
  }
}
