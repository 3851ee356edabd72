import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OPENAPI_RATE_LIMIT_EXTENSION, RateLimitHeaders } from '@app/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { run } from '../../database/sql';
import { clientKey, RateLimitService } from './rate-limit.service';

export const RATE_LIMIT = 'rate-limit:rule';

export interface RouteRateLimit {
  /** Name of the bucket (defaults to the route). */
  name?: string;
  /** Requests allowed per client IP per window. */
  limit: number;
  windowSeconds: number;
}

/**
 * Limits a route per client IP: `@RateLimit({ limit: 30, windowSeconds: 60 })`. The
 * OpenAPI document states the same limit (`x-rate-limit`), and from it the `RateLimit-*`
 * headers on the operation's answers and its 429 with `Retry-After` (see `completeOperations`).
 */
export const RateLimit = (rule: RouteRateLimit) =>
  applyDecorators(
    SetMetadata(RATE_LIMIT, rule),
    ApiExtension(OPENAPI_RATE_LIMIT_EXTENSION, {
      limit: rule.limit,
      windowSeconds: rule.windowSeconds,
      per: 'client IP address',
    } satisfies RateLimitHeaders),
  );

@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimitService,
    private readonly em: EntityManager,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<RouteRateLimit | undefined>(RATE_LIMIT, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!rule || context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const name = rule.name ?? `${context.getClass().name}.${context.getHandler().name}`;
    const ip = clientKey(req.ip);
    const result = await run(this.em, this.limits.hit({ key: `route:${name}:${ip}`, limit: rule.limit, windowSeconds: rule.windowSeconds }));
    // on the refusal too: the 429 says how many, how many left (0) and when (with Retry-After)
    res.setHeader('RateLimit-Limit', String(result.limit));
    res.setHeader('RateLimit-Remaining', String(result.remaining));
    res.setHeader('RateLimit-Reset', String(result.retryAfterSeconds));
    this.limits.assertAllowed(result);
    return true;
  }
}
