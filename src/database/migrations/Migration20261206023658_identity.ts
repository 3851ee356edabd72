import { Migration } from '@mikro-orm/migrations';

export class Migration20261206023658_identity extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "identity_registry_person" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "national_id" text not null, "mobile" text null, "first_name" text not null, "last_name" text not null, "father_name" text not null, "birth_date" text not null, "alive" boolean not null default true, "note" text null, constraint "identity_registry_person_pkey" primary key ("id"));`);
    this.addSql(`alter table "identity_registry_person" add constraint "identity_registry_person_national_id_unique" unique ("national_id");`);

    this.addSql(`alter table "citizen" add column "identity_verified_at" timestamptz null, add column "identity_verified_by" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "identity_registry_person" cascade;`);

    this.addSql(`alter table "citizen" drop column "identity_verified_at", drop column "identity_verified_by";`);
  }

}
