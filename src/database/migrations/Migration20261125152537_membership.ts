import { Migration } from '@mikro-orm/migrations';

export class Migration20261125152537_membership extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "citizen" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "mobile" text not null, "national_id" text not null, "first_name" text not null, "last_name" text not null, "father_name" text not null, "birth_date_jalali" text not null, "birth_date" date not null, "email" text null, "active" boolean not null default true, constraint "citizen_pkey" primary key ("id"));`);
    this.addSql(`alter table "citizen" add constraint "citizen_mobile_unique" unique ("mobile");`);
    this.addSql(`alter table "citizen" add constraint "citizen_national_id_unique" unique ("national_id");`);

    this.addSql(`create table "organization" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "kind" text check ("kind" in ('bank', 'office', 'notary')) not null, "name" text not null, "legal_national_id" text not null, "notary_office_number" text null, "active" boolean not null default true, constraint "organization_pkey" primary key ("id"));`);
    this.addSql(`alter table "organization" add constraint "organization_legal_id_unique" unique ("legal_national_id");`);

    this.addSql(`create table "api_client" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "client_id" text not null, "name" text not null, "scopes" text[] not null, "secret_hash" text not null, "previous_secret_hash" text null, "previous_secret_expires_at" timestamptz null, "active" boolean not null default true, "last_used_at" timestamptz null, constraint "api_client_pkey" primary key ("id"));`);
    this.addSql(`alter table "api_client" add constraint "api_client_client_id_unique" unique ("client_id");`);
    this.addSql(`create index "api_client_organization_idx" on "api_client" ("organization_id");`);

    this.addSql(`create table "otp_challenge" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "mobile" text not null, "purpose" text check ("purpose" in ('citizen_login', 'staff_2fa')) not null, "code_hash" text not null, "expires_at" timestamptz not null, "attempts" int not null default 0, "max_attempts" int not null, "consumed_at" timestamptz null, "staff_user_id" uuid null, constraint "otp_challenge_pkey" primary key ("id"));`);
    this.addSql(`create index "otp_challenge_mobile_idx" on "otp_challenge" ("mobile", "purpose", "created_at");`);

    this.addSql(`create table "refresh_token" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "token_hash" text not null, "family" uuid not null, "subject_type" text not null, "subject_id" uuid not null, "expires_at" timestamptz not null, "rotated_at" timestamptz null, "revoked_at" timestamptz null, "revoke_reason" text null, constraint "refresh_token_pkey" primary key ("id"));`);
    this.addSql(`alter table "refresh_token" add constraint "refresh_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "refresh_token_subject_idx" on "refresh_token" ("subject_type", "subject_id");`);
    this.addSql(`create index "refresh_token_family_idx" on "refresh_token" ("family");`);

    this.addSql(`create table "region" ("id" smallint not null, "name" text not null, "desk_phones" text[] not null, "desk_address" text null, "desk_hours" text null, "active" boolean not null default true, "updated_at" timestamptz not null, constraint "region_pkey" primary key ("id"));`);

    this.addSql(`create table "sms_message" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "mobile" text not null, "template" text not null, "body" text not null, "provider" text not null, "status" text check ("status" in ('queued', 'sent', 'failed')) not null default 'queued', "attempts" int not null default 0, "provider_message_id" text null, "last_error" text null, "sent_at" timestamptz null, constraint "sms_message_pkey" primary key ("id"));`);
    this.addSql(`create index "sms_message_mobile_idx" on "sms_message" ("mobile", "created_at");`);

    this.addSql(`alter table "api_client" add constraint "api_client_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`);

  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_client" drop constraint "api_client_organization_id_foreign";`);

    this.addSql(`drop table if exists "citizen" cascade;`);

    this.addSql(`drop table if exists "organization" cascade;`);

    this.addSql(`drop table if exists "api_client" cascade;`);

    this.addSql(`drop table if exists "otp_challenge" cascade;`);

    this.addSql(`drop table if exists "refresh_token" cascade;`);

    this.addSql(`drop table if exists "region" cascade;`);

    this.addSql(`drop table if exists "sms_message" cascade;`);
  }

}
