import { Migration } from '@mikro-orm/migrations';

export class Migration20261125172953_desk extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "certificate" ("id" bigserial primary key, "number" text not null, "verification_code" text not null, "inquiry_id" uuid not null, "region" smallint not null, "content" jsonb not null, "content_hash" text not null, "jws" text not null, "kid" text not null, "issued_at" timestamptz not null, "valid_until" timestamptz not null, "prepared_by" uuid not null, "approved_by" uuid not null, "revoked_at" timestamptz null, "revoked_by" uuid null, "revocation_reason" text null, "pdf_key" text null, "pdf_error" text null);`);
    this.addSql(`alter table "certificate" add constraint "certificate_number_unique" unique ("number");`);
    this.addSql(`alter table "certificate" add constraint "certificate_inquiry_unique" unique ("inquiry_id");`);
    this.addSql(`create index "certificate_region_issued_idx" on "certificate" ("region", "issued_at");`);

    this.addSql(`create table "desk_case" ("inquiry_id" uuid not null, "region" smallint not null, "claimed_by" uuid null, "claimed_at" timestamptz null, "review" jsonb null, "reviewed_at" timestamptz null, "review_working_hours" double precision null, "finances" jsonb null, "awaiting_bill_id" text null, "visit" jsonb null, "prepared_by" uuid null, "prepared_at" timestamptz null, "answer_note" text null, "overdue_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "desk_case_pkey" primary key ("inquiry_id"));`);
    this.addSql(`create index "desk_case_awaiting_bill_idx" on "desk_case" ("awaiting_bill_id");`);
    this.addSql(`create index "desk_case_claimed_by_idx" on "desk_case" ("claimed_by");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "certificate" cascade;`);

    this.addSql(`drop table if exists "desk_case" cascade;`);
  }

}
