import { ConfigError, loadConfig } from '../../../config/app-config';
import { createPaymentGateways } from './gateways.providers';
import { PaymentGateway } from './payment-gateway';
import { SepGateway } from './sep.gateway';
import { ZarinpalGateway } from './zarinpal.gateway';

const MERCHANT = '1344b5d4-0048-11e8-94db-005056a205be';

const sandbox: PaymentGateway = {
  name: 'sandbox',
  start: () => Promise.reject(new Error('not used')),
  parseCallback: () => ({ token: null, claimed: 'failed' }),
  verify: () => Promise.resolve({ outcome: 'unknown', reason: 'not used' }),
  reverse: () => Promise.resolve(false),
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('payments configuration', () => {
  it('defaults to the sandbox gateway only', () => {
    const { payments } = loadConfig({});
    expect(payments).toEqual({
      gateways: ['sandbox'],
      defaultGateway: 'sandbox',
      timeoutMs: 10000,
      sep: { terminalId: undefined, baseUrl: 'https://sep.shaparak.ir' },
      zarinpal: { merchantId: undefined, baseUrl: 'https://payment.zarinpal.com', startUrl: 'https://payment.zarinpal.com' },
      returnUrlOrigins: [],
      reconcileAfterSeconds: 1200,
      maxPerIpPerHour: 60,
    });
  });

  it('reads the allowed return origins (lower-cased) and the reconciliation and rate settings', () => {
    const { payments } = loadConfig({
      PAYMENT_RETURN_URL_ORIGINS: 'https://Shahr.Qazvin.ir, http://localhost:5173,',
      PAYMENT_RECONCILE_AFTER_SECONDS: '0',
      PAYMENT_MAX_PER_IP_PER_HOUR: '5',
    });
    expect(payments.returnUrlOrigins).toEqual(['https://shahr.qazvin.ir', 'http://localhost:5173']);
    expect(payments.reconcileAfterSeconds).toBe(0);
    expect(payments.maxPerIpPerHour).toBe(5);
  });

  it('reads the enabled gateways in order, the default, credentials, hosts and timeout', () => {
    const { payments } = loadConfig({
      PAYMENT_GATEWAYS: ' Zarinpal, sep ,sandbox,sep',
      PAYMENT_DEFAULT_GATEWAY: 'sep',
      PAYMENT_GATEWAY_TIMEOUT_MS: '7000',
      SEP_TERMINAL_ID: '13456789',
      SEP_BASE_URL: 'http://127.0.0.1:4001',
      ZARINPAL_MERCHANT_ID: MERCHANT,
      ZARINPAL_START_URL: 'https://www.zarinpal.com',
    });
    expect(payments.gateways).toEqual(['zarinpal', 'sep', 'sandbox']);
    expect(payments.defaultGateway).toBe('sep');
    expect(payments.timeoutMs).toBe(7000);
    expect(payments.sep).toEqual({ terminalId: '13456789', baseUrl: 'http://127.0.0.1:4001' });
    expect(payments.zarinpal.startUrl).toBe('https://www.zarinpal.com');
  });

  it.each([
    [{ PAYMENT_GATEWAYS: 'sep' }, 'SEP_TERMINAL_ID is required when PAYMENT_GATEWAYS includes sep'],
    [{ PAYMENT_GATEWAYS: 'zarinpal' }, 'ZARINPAL_MERCHANT_ID is required when PAYMENT_GATEWAYS includes zarinpal'],
    [{ PAYMENT_GATEWAYS: 'sandbox,mellat' }, 'PAYMENT_GATEWAYS has an unknown gateway "mellat" (known: sandbox, sep, zarinpal)'],
    [{ PAYMENT_GATEWAYS: ' , ' }, 'PAYMENT_GATEWAYS must name at least one gateway (sandbox, sep, zarinpal)'],
    [{ PAYMENT_DEFAULT_GATEWAY: 'sep' }, 'PAYMENT_DEFAULT_GATEWAY must be one of PAYMENT_GATEWAYS (sandbox)'],
    [{ SEP_TERMINAL_ID: '1345-678' }, 'SEP_TERMINAL_ID must be the numeric terminal id Saman issued'],
    [{ ZARINPAL_MERCHANT_ID: 'not-a-merchant' }, 'ZARINPAL_MERCHANT_ID must be the 36-character merchant id (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)'],
    [{ PAYMENT_GATEWAY_TIMEOUT_MS: '50' }, 'PAYMENT_GATEWAY_TIMEOUT_MS must be an integer between 500 and 120000 (got "50")'],
    [
      { PAYMENT_RETURN_URL_ORIGINS: 'https://shahr.qazvin.ir/pay' },
      'PAYMENT_RETURN_URL_ORIGINS must be comma-separated origins such as https://shahr.qazvin.ir (scheme, host and optional port; no path)',
    ],
    [{ PAYMENT_RECONCILE_AFTER_SECONDS: '-1' }, 'PAYMENT_RECONCILE_AFTER_SECONDS must be an integer between 0 and 86400 (got "-1")'],
  ])('refuses %j at start-up', (env, problem) => {
    expect(problems(env)).toContain(problem);
  });

  it('refuses the sandbox gateway in production, and accepts real gateways there', () => {
    expect(problems({ NODE_ENV: 'production' })).toContain(
      'PAYMENT_GATEWAYS must not include sandbox in production (use sep and/or zarinpal)',
    );
    const real = problems({ NODE_ENV: 'production', PAYMENT_GATEWAYS: 'sep', SEP_TERMINAL_ID: '13456789' });
    expect(real.filter((p) => /PAYMENT|SEP_|ZARINPAL_/.test(p))).toEqual([]);
  });
});

describe('createPaymentGateways', () => {
  it('builds the adapters of the enabled gateways, keyed and ordered as configured', () => {
    const { payments } = loadConfig({ PAYMENT_GATEWAYS: 'zarinpal,sandbox,sep', SEP_TERMINAL_ID: '13456789', ZARINPAL_MERCHANT_ID: MERCHANT });
    const map = createPaymentGateways(payments, { sandbox });
    expect([...map.keys()]).toEqual(['zarinpal', 'sandbox', 'sep']);
    expect(map.get('zarinpal')).toBeInstanceOf(ZarinpalGateway);
    expect(map.get('sep')).toBeInstanceOf(SepGateway);
    expect(map.get('sandbox')).toBe(sandbox);
  });

  it('needs no sandbox adapter when the sandbox is not enabled', () => {
    const { payments } = loadConfig({ PAYMENT_GATEWAYS: 'sep', SEP_TERMINAL_ID: '13456789' });
    expect([...createPaymentGateways(payments).keys()]).toEqual(['sep']);
  });

  it('fails at start-up when the sandbox is enabled but its adapter was not provided', () => {
    const { payments } = loadConfig({});
    expect(() => createPaymentGateways(payments)).toThrow(/no sandbox gateway adapter was provided/);
  });

  it('guards a hand-built config without credentials', () => {
    const { payments } = loadConfig({});
    expect(() => createPaymentGateways({ ...payments, gateways: ['sep'], defaultGateway: 'sep' })).toThrow(/SEP_TERMINAL_ID is required/);
  });
});
