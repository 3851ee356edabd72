import { Migration } from '@mikro-orm/migrations';

export class Migration20261125170850_billing extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "billing_bank_payment" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "bank_reference" text not null, "bill_id" text not null, "payment_id" text not null, "amount_rials" bigint not null, "paid_at" timestamptz not null, constraint "billing_bank_payment_pkey" primary key ("id"));`);
    this.addSql(`create index "billing_bank_payment_org_paid_idx" on "billing_bank_payment" ("organization_id", "paid_at");`);
    this.addSql(`alter table "billing_bank_payment" add constraint "billing_bank_payment_reference_unique" unique ("organization_id", "bank_reference");`);

    this.addSql(`create table "billing_bill" ("id" bigserial primary key, "bill_id" text not null, "payment_id" text not null, "scope" text not null, "demand_ids" uuid[] not null, "demand_set_hash" text not null, "items" jsonb not null, "total_rials" bigint not null, "amount_rials" bigint not null, "jalali_year" int not null, "status" text check ("status" in ('open', 'paid', 'void')) not null default 'open', "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, "paid_at" timestamptz null, "paid_channel" text null, "payment_reference" text null, "paid_amount_rials" bigint null);`);
    this.addSql(`alter table "billing_bill" add constraint "billing_bill_bill_id_unique" unique ("bill_id");`);
    this.addSql(`create index "billing_bill_demands_gin" on "billing_bill" using gin ("demand_ids");`);
    this.addSql(`create index "billing_bill_scope_idx" on "billing_bill" ("scope", "status");`);
    this.addSql(`alter table "billing_bill" add constraint "billing_bill_reference_unique" unique ("paid_channel", "payment_reference");`);

    this.addSql(`create table "billing_demand" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "fee_type" text check ("fee_type" in ('renewal', 'waste', 'guild')) not null, "subject_id" uuid not null, "subject_code" text not null, "property_id" uuid not null, "region" smallint not null, "jalali_year" int not null, "amount_rials" bigint not null, "assessed_rials" bigint not null, "status" text check ("status" in ('open', 'paid', 'written_off')) not null default 'open', "tariff_id" uuid not null, "snapshot" jsonb not null, "paid_bill_id" bigint null, "paid_at" timestamptz null, constraint "billing_demand_pkey" primary key ("id"));`);
    this.addSql(`create index "billing_demand_paid_bill_idx" on "billing_demand" ("paid_bill_id");`);
    this.addSql(`create index "billing_demand_property_idx" on "billing_demand" ("property_id", "status");`);
    this.addSql(`alter table "billing_demand" add constraint "billing_demand_subject_fee_year_unique" unique ("subject_id", "fee_type", "jalali_year");`);

    this.addSql(`create table "billing_demand_amendment" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "demand_id" uuid not null, "kind" text check ("kind" in ('write_off', 'correction', 'court_ruling')) not null, "reason_code" text not null, "note" text null, "previous_rials" bigint not null, "new_rials" bigint not null, "actor_type" text not null, "actor_id" text null, constraint "billing_demand_amendment_pkey" primary key ("id"));`);
    this.addSql(`create index "billing_demand_amendment_demand_idx" on "billing_demand_amendment" ("demand_id");`);

    this.addSql(`create table "guild_licence" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "guild_code" text not null, "business_name" text not null, "category" text not null, "owner_national_id" text not null, "property_id" uuid not null, "region" smallint not null, "area_m2" double precision not null, "active" boolean not null default true, constraint "guild_licence_pkey" primary key ("id"));`);
    this.addSql(`alter table "guild_licence" add constraint "guild_licence_code_unique" unique ("guild_code");`);
    this.addSql(`create index "guild_licence_owner_idx" on "guild_licence" ("owner_national_id");`);
    this.addSql(`create index "guild_licence_property_idx" on "guild_licence" ("property_id");`);

    this.addSql(`create table "billing_regional_value" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "jalali_year" int not null, "region" smallint not null, "district" int not null, "block" int not null, "land_value_per_m2" bigint not null, constraint "billing_regional_value_pkey" primary key ("id"));`);
    this.addSql(`alter table "billing_regional_value" add constraint "billing_regional_value_unique" unique ("jalali_year", "region", "district", "block");`);

    this.addSql(`create table "billing_tariff" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "jalali_year" int not null, "version" int not null, "renewal" jsonb not null, "waste" jsonb not null, "guild" jsonb not null, "penalty" jsonb not null, "discount" jsonb not null, "note" text not null, constraint "billing_tariff_pkey" primary key ("id"));`);
    this.addSql(`alter table "billing_tariff" add constraint "billing_tariff_year_version_unique" unique ("jalali_year", "version");`);

    this.addSql(`alter table "guild_licence" add constraint "guild_licence_property_id_foreign" foreign key ("property_id") references "property" ("id") on update cascade on delete restrict;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "billing_bank_payment" cascade;`);

    this.addSql(`drop table if exists "billing_bill" cascade;`);

    this.addSql(`drop table if exists "billing_demand" cascade;`);

    this.addSql(`drop table if exists "billing_demand_amendment" cascade;`);

    this.addSql(`drop table if exists "guild_licence" cascade;`);

    this.addSql(`drop table if exists "billing_regional_value" cascade;`);

    this.addSql(`drop table if exists "billing_tariff" cascade;`);
  }

}
