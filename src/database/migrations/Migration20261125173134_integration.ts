import { Migration } from '@mikro-orm/migrations';

export class Migration20261125173134_integration extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "idempotency_record" ("scope_key" text not null, "request_hash" text not null, "state" text check ("state" in ('in_progress', 'completed')) not null default 'in_progress', "response_status" smallint null, "response_body" text null, "response_headers" jsonb null, "created_at" timestamptz not null, "expires_at" timestamptz not null, constraint "idempotency_record_pkey" primary key ("scope_key"));`);
    this.addSql(`create index "idempotency_record_expires_idx" on "idempotency_record" ("expires_at");`);

    this.addSql(`create table "org_inquiry_request" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "inquiry_id" uuid null, "status" text check ("status" in ('awaiting_consent', 'consented', 'declined', 'expired')) not null default 'awaiting_consent', "national_id" text not null, "mobile" text not null, "renewal_code" text not null, "region" smallint not null, "letter_number" text not null, "letter_date" text not null, "expires_at" timestamptz not null, "consented_at" timestamptz null, constraint "org_inquiry_request_pkey" primary key ("id"));`);
    this.addSql(`alter table "org_inquiry_request" add constraint "org_inquiry_request_inquiry_unique" unique ("inquiry_id");`);
    this.addSql(`create index "org_inquiry_request_mobile_idx" on "org_inquiry_request" ("mobile", "status");`);
    this.addSql(`create index "org_inquiry_request_org_idx" on "org_inquiry_request" ("organization_id", "created_at");`);

    this.addSql(`create table "webhook_endpoint" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "url" text not null, "events" jsonb not null, "description" text null, "secret" text not null, "active" boolean not null default true, constraint "webhook_endpoint_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_endpoint_org_idx" on "webhook_endpoint" ("organization_id", "active");`);

    this.addSql(`create table "webhook_delivery" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "endpoint_id" uuid not null, "organization_id" uuid not null, "event_id" text not null, "event" text not null, "body" text not null, "status" text check ("status" in ('pending', 'delivered', 'failed')) not null default 'pending', "attempts" int not null default 0, "last_status_code" smallint null, "last_error" text null, "delivered_at" timestamptz null, "redelivery_of" uuid null, constraint "webhook_delivery_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_delivery_endpoint_idx" on "webhook_delivery" ("endpoint_id");`);
    this.addSql(`create index "webhook_delivery_org_idx" on "webhook_delivery" ("organization_id", "created_at");`);

    this.addSql(`create table "webhook_attempt" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "delivery_id" uuid not null, "attempt" int not null, "status_code" smallint null, "duration_ms" int not null, "error" text null, constraint "webhook_attempt_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_attempt_delivery_idx" on "webhook_attempt" ("delivery_id", "attempt");`);

    this.addSql(`alter table "org_inquiry_request" add constraint "org_inquiry_request_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "webhook_endpoint" add constraint "webhook_endpoint_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoint" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "webhook_attempt" add constraint "webhook_attempt_delivery_id_foreign" foreign key ("delivery_id") references "webhook_delivery" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_endpoint_id_foreign";`);

    this.addSql(`alter table "webhook_attempt" drop constraint "webhook_attempt_delivery_id_foreign";`);

    this.addSql(`drop table if exists "idempotency_record" cascade;`);

    this.addSql(`drop table if exists "org_inquiry_request" cascade;`);

    this.addSql(`drop table if exists "webhook_endpoint" cascade;`);

    this.addSql(`drop table if exists "webhook_delivery" cascade;`);

    this.addSql(`drop table if exists "webhook_attempt" cascade;`);
  }

}
