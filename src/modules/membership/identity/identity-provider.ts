/**
 * The identity-verification port: the national mobile-ownership registry ("Shahkar":
 * national ID + mobile → matched or not) and the civil registry (national ID + birth date →
 * names, father's name, alive). Chosen by IDENTITY_PROVIDER like the SMS providers:
 * `sandbox` (a table editable by administrators) or `http` (a licensed inquiry service).
 *
 * Adapters only translate one question into one call and classify the answer; caching and
 * auditing belong to IdentityVerificationService. A provider never throws for an answer it
 * cannot use: it says `unavailable`.
 */

/** Injection token of the configured provider (chosen by `IDENTITY_PROVIDER`). */
export const IDENTITY_PROVIDER = Symbol('IDENTITY_PROVIDER');

export type IdentityProviderName = 'sandbox' | 'http';

/** Whether a mobile number is registered to a national ID. */
export type MobileMatch =
  | { result: 'matched' }
  /** `reason`: `invalid_national_id` when the registry refused the national ID itself. */
  | { result: 'not_matched'; reason?: 'invalid_national_id' }
  /** The registry could not answer (timeout, 5xx, garbage): never read as a match nor as a mismatch. */
  | { result: 'unavailable'; reason: string };

export interface CivilRecordFound {
  result: 'found';
  firstName: string;
  lastName: string;
  fatherName: string;
  alive: boolean;
}

/** The civil record of a national ID with this birth date. */
export type CivilRecord =
  | CivilRecordFound
  /** No person has this national ID and birth date. */
  | { result: 'not_found' }
  | { result: 'unavailable'; reason: string };

export interface IdentityProvider {
  readonly name: IdentityProviderName;
  /** `mobile` canonical `09xxxxxxxxx`; `nationalId` 10 digits. */
  matchMobile(nationalId: string, mobile: string): Promise<MobileMatch>;
  /** `birthDate` Jalali `YYYY/MM/DD`. */
  civilRecord(nationalId: string, birthDate: string): Promise<CivilRecord>;
}
