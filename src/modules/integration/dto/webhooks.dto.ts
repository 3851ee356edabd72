import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { MaxChars, MaxItems, PageMeta, PageQuery } from '@app/common';
import { WEBHOOK_EVENTS } from '../webhook-events';

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://api.bank.example/hooks/qazvin', description: 'https only; must resolve to public addresses only.' })
  @IsString()
  @MaxChars(2000)
  url: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true, example: ['inquiry.answered', 'inquiry.rejected'] })
  @ArrayMinSize(1)
  @MaxItems(WEBHOOK_EVENTS.length)
  @IsIn(WEBHOOK_EVENTS as unknown as string[], { each: true })
  events: string[];

  @ApiPropertyOptional({ example: 'Loan desk production receiver', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxChars(200)
  description?: string;
}

export class WebhookDto {
  @ApiProperty({ example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f80' }) id: string;
  @ApiProperty({ example: 'https://api.bank.example/hooks/qazvin' }) url: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true, example: ['inquiry.answered'] }) events: string[];
  @ApiProperty({ type: String, nullable: true, example: 'Loan desk production receiver' }) description: string | null;
  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' }) createdAt: string;
}

export class WebhookSecretDto extends WebhookDto {
  @ApiProperty({
    example: 'whsec_6f0b3c1e9d2a4b7c8e5f1a0d3c6b9e2f4a7d0c3b6e9f2a5d',
    description: 'HMAC-SHA256 signing secret. Shown only in this answer: store it now.',
  })
  secret: string;
}

export class WebhookAttemptDto {
  @ApiProperty({ example: 1 }) attempt: number;
  @ApiProperty({ example: '2026-11-25T10:00:01.000Z' }) at: string;
  @ApiProperty({ type: Number, nullable: true, example: 503, description: 'HTTP status of the receiver; null when no answer came.' }) statusCode: number | null;
  @ApiProperty({ example: 84 }) durationMs: number;
  @ApiProperty({ type: String, nullable: true, example: 'HTTP 503' }) error: string | null;
}

export class WebhookDeliveryDto {
  @ApiProperty({ example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f81' }) id: string;
  @ApiProperty({ example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f80' }) endpointId: string;
  @ApiProperty({ example: 'evt_0193b0f48a5e7c1d9f2a3b4c5d6e7f82', description: 'Same for every endpoint and for redeliveries: dedupe on it.' }) eventId: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, example: 'inquiry.answered' }) event: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'], example: 'delivered' }) status: string;
  @ApiProperty({ example: 2 }) attempts: number;
  @ApiProperty({ type: Number, nullable: true, example: 200 }) lastStatusCode: number | null;
  @ApiProperty({ type: String, nullable: true, example: null }) lastError: string | null;
  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ type: String, nullable: true, example: '2026-11-25T10:00:31.000Z' }) deliveredAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'The delivery this one redelivers.' }) redeliveryOf: string | null;
  @ApiProperty({ type: [WebhookAttemptDto] }) attemptLog: WebhookAttemptDto[];
}

/** One page of the delivery log. */
export class WebhookDeliveryPageDto {
  @ApiProperty({ type: [WebhookDeliveryDto] }) items: WebhookDeliveryDto[];
  @ApiProperty({ type: PageMeta }) meta: PageMeta;
}

export class ListDeliveriesQueryDto extends PageQuery {
  @ApiPropertyOptional({ enum: ['pending', 'delivered', 'failed'] })
  @IsOptional()
  @IsIn(['pending', 'delivered', 'failed'])
  status?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENTS })
  @IsOptional()
  @IsIn(WEBHOOK_EVENTS as unknown as string[])
  event?: string;

  @ApiPropertyOptional({ example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f80' })
  @IsOptional()
  @IsUUID()
  @MaxChars(36)
  endpointId?: string;
}
