/**
 * A coded, bilingual error. Services throw these; the global problem+json filter turns
 * them into RFC 9457 responses. `code` is the stable machine code clients switch on.
 */
export interface LocalizedText {
  fa: string;
  en: string;
}

export interface FieldError {
  /** Dotted path of the offending input field, e.g. `owners.0.nationalId`. */
  field: string;
  /** Stable constraint code, e.g. `isNotEmpty`, `NATIONAL_ID_INVALID`. */
  code: string;
  message: LocalizedText;
}

export interface ErrorSpec {
  status: number;
  message: LocalizedText;
}

export interface DomainErrorOptions {
  /** Replaces the spec's default message (e.g. to name a value). */
  message?: LocalizedText;
  fieldErrors?: FieldError[];
  /** Extra, non-sensitive members copied into the problem body (e.g. `attemptsLeft`). */
  extensions?: Record<string, unknown>;
  /** Seconds for a `Retry-After` header (429, 503). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class DomainError extends Error {
  readonly status: number;
  readonly localized: LocalizedText;
  readonly fieldErrors: FieldError[];
  readonly extensions: Record<string, unknown>;
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: string,
    spec: ErrorSpec,
    options: DomainErrorOptions = {},
  ) {
    const localized = options.message ?? spec.message;
    super(localized.en, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'DomainError';
    this.status = spec.status;
    this.localized = localized;
    this.fieldErrors = options.fieldErrors ?? [];
    this.extensions = options.extensions ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/**
 * Declares a module's error catalogue and returns a typed factory:
 * `const E = defineErrors({ OTP_EXPIRED: { status: 400, message: {...} } });
 *  throw E.OTP_EXPIRED();`
 */
export function defineErrors<K extends string>(
  specs: Record<K, ErrorSpec>,
): { [P in K]: (options?: DomainErrorOptions) => DomainError } & { readonly specs: Record<K, ErrorSpec> } {
  const out = { specs } as { [P in K]: (options?: DomainErrorOptions) => DomainError } & {
    specs: Record<K, ErrorSpec>;
  };
  for (const code of Object.keys(specs) as K[]) {
    (out as Record<string, unknown>)[code] = (options?: DomainErrorOptions) =>
      new DomainError(code, specs[code], options);
  }
  registerErrorSpecs(specs);
  return out;
}

const registry = new Map<string, ErrorSpec>();

function registerErrorSpecs(specs: Record<string, ErrorSpec>): void {
  for (const [code, spec] of Object.entries(specs)) registry.set(code, spec);
}

/** Every error code declared with `defineErrors`, for the OpenAPI document and docs. */
export function registeredErrorCodes(): ReadonlyMap<string, ErrorSpec> {
  return registry;
}
