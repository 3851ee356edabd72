import { Migration } from '@mikro-orm/migrations';

export class Migration20261125172657_payments extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "billing_payment" ("id" uuid not null, "bill_id" text not null, "bill_payment_id" text not null, "gateway" text not null, "amount_rials" bigint not null, "status" text check ("status" in ('pending', 'paid', 'failed', 'cancelled', 'amount_mismatch', 'reversing', 'reversed')) not null default 'pending', "gateway_token" text null, "gateway_reference" text null, "bank_reference" text null, "rrn" text null, "trace_no" text null, "card_mask" text null, "return_url" text not null, "failure_reason" text null, "attempts" int not null default 0, "last_verify_error" text null, "needs_review" boolean not null default false, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "callback_at" timestamptz null, "paid_at" timestamptz null, "reversed_at" timestamptz null, constraint "billing_payment_pkey" primary key ("id"));`);
    this.addSql(`create index "billing_payment_status_idx" on "billing_payment" ("status", "created_at");`);
    this.addSql(`create index "billing_payment_bill_idx" on "billing_payment" ("bill_id");`);
    this.addSql(`alter table "billing_payment" add constraint "billing_payment_bank_reference_unique" unique ("gateway", "bank_reference");`);
    this.addSql(`alter table "billing_payment" add constraint "billing_payment_gateway_token_unique" unique ("gateway", "gateway_token");`);

    this.addSql(`create table "billing_sandbox_txn" ("token" text not null, "payment_id" uuid not null, "amount_rials" bigint not null, "callback_url" text not null, "description" text not null, "status" text check ("status" in ('pending', 'paid', 'cancelled', 'reversed')) not null default 'pending', "bank_reference" text null, "rrn" text null, "trace_no" text null, "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, "paid_at" timestamptz null, "verified_at" timestamptz null, "reversed_at" timestamptz null, constraint "billing_sandbox_txn_pkey" primary key ("token"));`);
    this.addSql(`alter table "billing_sandbox_txn" add constraint "billing_sandbox_txn_bank_reference_unique" unique ("bank_reference");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "billing_payment" cascade;`);

    this.addSql(`drop table if exists "billing_sandbox_txn" cascade;`);
  }

}
