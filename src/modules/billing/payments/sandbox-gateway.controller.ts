import { CanActivate, Controller, Get, Injectable, Post, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiProblems, CommonErrors, PathParam, PathParamOptions, Public } from '@app/common';
import { API_PREFIX } from '../../../config/api-prefix';
import { RateLimit } from '../../rate-limit/rate-limit.guard';
import { renderSandboxPage, SANDBOX_COUNTDOWN_JS } from './html';
import { PaymentErrors } from './payments.errors';
import { SANDBOX_SESSION_MINUTES, SandboxGateway } from './sandbox.gateway';

/** Outside the sandbox (PAYMENT_GATEWAYS without `sandbox`) these routes answer exactly like unknown ones. */
@Injectable()
export class SandboxGatewayGuard implements CanActivate {
  constructor(private readonly sandbox: SandboxGateway) {}

  canActivate(): boolean {
    if (!this.sandbox.enabled()) throw CommonErrors.ROUTE_NOT_FOUND();
    return true;
  }
}

const SCRIPT_PATH = 'sandbox/gateway-countdown.js';

/**
 * The gateway session handle in these URLs, as Shaparak gateways put theirs (SEP's Token,
 * Zarinpal's Authority): not a credential.
 */
const SESSION_TOKEN: PathParamOptions = {
  maxLength: 32,
  pattern: '^[a-f0-9]{32}$',
  example: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  description:
    'The sandbox payment session from `redirectUrl`: a one-time, short-lived handle, not a credential. 128 random bits ' +
    `naming one sandbox payment; valid ${SANDBOX_SESSION_MINUTES} minutes; it shows that payment’s page and lets the ` +
    'payer pay or cancel it once (later presses answer the same outcome); it identifies no person and grants access to ' +
    'nothing else. The server confirms the payment with the gateway before it counts, whatever the browser reports.',
  tooLong: () => PaymentErrors.SANDBOX_TRANSACTION_NOT_FOUND(),
};

@ApiTags('sandbox')
@Public()
@UseGuards(SandboxGatewayGuard)
@RateLimit({ name: 'sandbox.gateway', limit: 300, windowSeconds: 60 })
@Controller()
export class SandboxGatewayController {
  constructor(private readonly sandbox: SandboxGateway) {}

  @Get(SCRIPT_PATH)
  @ApiOperation({ summary: 'Sandbox gateway: the countdown script of its page' })
  @ApiProduces('text/javascript')
  @ApiResponse({ status: 200, description: 'JavaScript' })
  script(@Res() res: Response): void {
    res.type('text/javascript').setHeader('Cache-Control', 'public, max-age=3600');
    res.send(SANDBOX_COUNTDOWN_JS);
  }

  @Get('sandbox/gateway/:token')
  @ApiOperation({
    summary: 'Sandbox gateway: the simulated Shaparak payment page (Persian, pay / cancel)',
    description:
      '**Exists only while PAYMENT_GATEWAYS includes `sandbox`** (the embedded default); elsewhere `404 ROUTE_NOT_FOUND` as ' +
      'for a path that does not exist. Shows the merchant, the amount in Rials (digits and words), the description and a ' +
      'countdown; its buttons post to `/pay` and `/cancel`. No money moves and no card is asked for.',
  })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'HTML page' })
  @ApiProblems(404)
  async page(@PathParam('token', SESSION_TOKEN) token: string, @Res() res: Response): Promise<void> {
    const t = await this.sandbox.transaction(token);
    res.type('html').setHeader('Cache-Control', 'no-store');
    // Browsers apply form-action to the whole redirect chain of a form submission: pay →
    // callback (this origin) → the payment's returnUrl, which may be another allowed origin.
    const csp = res.getHeader('Content-Security-Policy');
    if (typeof csp === 'string') {
      const origins = [...this.sandbox.returnOrigins()].join(' ');
      res.setHeader('Content-Security-Policy', csp.replace("form-action 'self'", `form-action 'self' ${origins}`));
    }
    res.send(
      renderSandboxPage({
        token: t.token,
        amountRials: t.amountRials,
        description: t.description,
        paymentId: t.paymentId,
        expiresAt: t.expiresAt,
        status: t.status,
        actionBase: `/${API_PREFIX}/sandbox/gateway/${t.token}`,
        scriptUrl: `/${API_PREFIX}/${SCRIPT_PATH}`,
      }),
    );
  }

  @Post('sandbox/gateway/:token/pay')
  @ApiOperation({
    summary: 'Sandbox gateway: the payer pays',
    description: 'Records a successful (simulated) payment and redirects (303) to the merchant’s callback with `token` and `status=OK`.',
  })
  @ApiResponse({ status: 303, description: 'To the payments callback' })
  @ApiProblems(404)
  async pay(@PathParam('token', SESSION_TOKEN) token: string, @Res() res: Response): Promise<void> {
    res.redirect(303, await this.sandbox.act(token, 'pay'));
  }

  @Post('sandbox/gateway/:token/cancel')
  @ApiOperation({
    summary: 'Sandbox gateway: the payer cancels',
    description: 'Records the cancel and redirects (303) to the merchant’s callback with `token` and `status=CANCELLED`.',
  })
  @ApiResponse({ status: 303, description: 'To the payments callback' })
  @ApiProblems(404)
  async cancel(@PathParam('token', SESSION_TOKEN) token: string, @Res() res: Response): Promise<void> {
    res.redirect(303, await this.sandbox.act(token, 'cancel'));
  }
}
