import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export enum SandboxTxnStatus {
  Pending = 'pending',
  Paid = 'paid',
  Cancelled = 'cancelled',
  Reversed = 'reversed',
}

/**
 * A session of the built-in simulated gateway (sandbox): what a Shaparak gateway keeps on
 * its side. Only the sandbox gateway reads and writes it.
 */
@Entity({ tableName: 'billing_sandbox_txn' })
export class SandboxTransaction {
  [OptionalProps]?: 'status' | 'createdAt';

  /** Random 32 hex digits; in the page URL and the callback. */
  @PrimaryKey({ type: 'text' })
  token: string;

  /** The merchant's reference (our payment id). */
  @Property({ type: 'uuid' })
  paymentId: string;

  @Property({ type: 'bigint', columnType: 'bigint' })
  amountRials: string;

  @Property({ type: 'text' })
  callbackUrl: string;

  @Property({ type: 'text' })
  description: string;

  @Enum({ items: () => SandboxTxnStatus })
  status: SandboxTxnStatus = SandboxTxnStatus.Pending;

  @Property({ type: 'text', nullable: true, unique: 'billing_sandbox_txn_bank_reference_unique' })
  bankReference?: string | null;

  @Property({ type: 'text', nullable: true })
  rrn?: string | null;

  @Property({ type: 'text', nullable: true })
  traceNo?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  paidAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  verifiedAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  reversedAt?: Date | null;
}
