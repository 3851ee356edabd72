import { Migration } from '@mikro-orm/migrations';

export class Migration20261125172139_calculators extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "calculator_tariff" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "jalali_year" int not null, "version" int not null, "tables" jsonb not null, "note" text not null, constraint "calculator_tariff_pkey" primary key ("id"));`);
    this.addSql(`alter table "calculator_tariff" add constraint "calculator_tariff_year_version_unique" unique ("jalali_year", "version");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "calculator_tariff" cascade;`);
  }

}
