import { FactoryProvider } from '@nestjs/common';
import type { AppConfig } from '../../../config/app-config';
import { APP_CONFIG } from '../../../config/config.module';
import { GatewayName, PAYMENT_GATEWAYS, PaymentGateway } from './payment-gateway';
import { SepGateway } from './sep.gateway';
import { ZarinpalGateway } from './zarinpal.gateway';

/**
 * DI token of the built-in sandbox gateway adapter. The payments module provides it (the
 * sandbox needs the payments module's own routes and pages); `paymentGatewaysProvider`
 * injects it optionally and fails at start-up when `PAYMENT_GATEWAYS` enables `sandbox`
 * without it.
 */
export const SANDBOX_PAYMENT_GATEWAY = Symbol('SANDBOX_PAYMENT_GATEWAY');

export interface PaymentGatewayExtras {
  /** The sandbox adapter, required when `sandbox` is enabled. */
  sandbox?: PaymentGateway;
}

/**
 * Builds the adapters of the gateways `PAYMENT_GATEWAYS` enables, keyed by name, in the
 * configured order (so `[...map.keys()]` is what the API offers). Config validation
 * already required each enabled gateway's credentials; the checks here guard against a
 * hand-built config.
 */
export function createPaymentGateways(
  payments: AppConfig['payments'],
  extras: PaymentGatewayExtras = {},
): Map<GatewayName, PaymentGateway> {
  const map = new Map<GatewayName, PaymentGateway>();
  for (const name of payments.gateways) {
    switch (name) {
      case 'sandbox':
        if (!extras.sandbox) {
          throw new Error('PAYMENT_GATEWAYS includes sandbox, but no sandbox gateway adapter was provided (SANDBOX_PAYMENT_GATEWAY)');
        }
        if (extras.sandbox.name !== 'sandbox') throw new Error(`the sandbox adapter calls itself "${extras.sandbox.name}"`);
        map.set('sandbox', extras.sandbox);
        break;
      case 'sep': {
        const { terminalId, baseUrl } = payments.sep;
        if (!terminalId) throw new Error('SEP_TERMINAL_ID is required when PAYMENT_GATEWAYS includes sep');
        map.set('sep', new SepGateway({ terminalId, baseUrl, timeoutMs: payments.timeoutMs }));
        break;
      }
      case 'zarinpal': {
        const { merchantId, baseUrl, startUrl } = payments.zarinpal;
        if (!merchantId) throw new Error('ZARINPAL_MERCHANT_ID is required when PAYMENT_GATEWAYS includes zarinpal');
        map.set('zarinpal', new ZarinpalGateway({ merchantId, baseUrl, startUrl, timeoutMs: payments.timeoutMs }));
        break;
      }
      default:
        throw new Error(`unknown payment gateway "${String(name)}"`);
    }
  }
  if (!map.has(payments.defaultGateway)) {
    throw new Error(`PAYMENT_DEFAULT_GATEWAY "${payments.defaultGateway}" is not among the enabled gateways`);
  }
  return map;
}

/**
 * The Nest provider of `PAYMENT_GATEWAYS` (a `Map<GatewayName, PaymentGateway>`). Put it in
 * the payments module's `providers` next to `{ provide: SANDBOX_PAYMENT_GATEWAY, useClass:
 * SandboxGateway }`; when the sandbox is not provided, the map is still built for the real
 * gateways and start-up fails only if `sandbox` is enabled.
 */
export const paymentGatewaysProvider: FactoryProvider<Map<GatewayName, PaymentGateway>> = {
  provide: PAYMENT_GATEWAYS,
  inject: [APP_CONFIG, { token: SANDBOX_PAYMENT_GATEWAY, optional: true }],
  useFactory: (config: AppConfig, sandbox?: PaymentGateway) => createPaymentGateways(config.payments, { sandbox }),
};
