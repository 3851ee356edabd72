import { Migration } from '@mikro-orm/migrations';

export class Migration20261125172325_inquiries extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "inquiry_attempt" ("citizen_id" uuid not null, "property_id" uuid not null, "day" date not null, "failures" int not null default 0, constraint "inquiry_attempt_pkey" primary key ("citizen_id", "property_id", "day"));`);

    this.addSql(`create table "inquiry" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "type" text check ("type" in ('office', 'notary')) not null, "status" text check ("status" in ('draft', 'submitted', 'in_review', 'needs_correction', 'awaiting_payment', 'visit_scheduled', 'visited', 'answered', 'rejected', 'cancelled')) not null default 'draft', "citizen_id" uuid not null, "property_id" uuid not null, "renewal_code" text not null, "region" smallint not null, "applicant_role" text check ("applicant_role" in ('owner', 'attorney')) not null default 'owner', "principal_national_id" text null, "undertakings_version" text not null, "undertakings_accepted_at" timestamptz not null, "organization" jsonb null, "notary_office_number" text null, "snapshot" jsonb not null, "confirmed_at" timestamptz null, "tracking_code" text null, "submitted_at" timestamptz null, "review_due_at" timestamptz null, "visit_slot_id" text null, "visit_starts_at" timestamptz null, "status_changed_at" timestamptz not null, constraint "inquiry_pkey" primary key ("id"));`);
    this.addSql(`alter table "inquiry" add constraint "inquiry_tracking_code_unique" unique ("tracking_code");`);
    this.addSql(`create index "inquiry_property_idx" on "inquiry" ("property_id");`);
    this.addSql(`create index "inquiry_region_status_idx" on "inquiry" ("region", "status", "review_due_at");`);
    this.addSql(`create index "inquiry_citizen_idx" on "inquiry" ("citizen_id", "created_at");`);

    this.addSql(`create table "inquiry_document" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "inquiry_id" uuid not null, "kind" text check ("kind" in ('deed', 'national_card', 'office_letter', 'birth_certificate', 'power_of_attorney')) not null, "object_key" text not null, "size" int not null, "content_type" text not null, "sha256" text not null, "original_sha256" text not null, "original_name" text null, "width" int not null, "height" int not null, constraint "inquiry_document_pkey" primary key ("id"));`);
    this.addSql(`alter table "inquiry_document" add constraint "inquiry_document_object_key_unique" unique ("object_key");`);
    this.addSql(`alter table "inquiry_document" add constraint "inquiry_document_kind_unique" unique ("inquiry_id", "kind");`);

    this.addSql(`create table "visit_slot" ("id" text not null, "region" smallint not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "capacity" int not null, "booked" int not null default 0, constraint "visit_slot_pkey" primary key ("id"), constraint visit_slot_capacity_check check (booked >= 0 and booked <= capacity));`);
    this.addSql(`create index "visit_slot_region_start_idx" on "visit_slot" ("region", "starts_at");`);

    this.addSql(`alter table "inquiry" add constraint "inquiry_citizen_id_foreign" foreign key ("citizen_id") references "citizen" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "inquiry" add constraint "inquiry_property_id_foreign" foreign key ("property_id") references "property" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "inquiry_document" add constraint "inquiry_document_inquiry_id_foreign" foreign key ("inquiry_id") references "inquiry" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "inquiry_document" drop constraint "inquiry_document_inquiry_id_foreign";`);

    this.addSql(`drop table if exists "inquiry_attempt" cascade;`);

    this.addSql(`drop table if exists "inquiry" cascade;`);

    this.addSql(`drop table if exists "inquiry_document" cascade;`);

    this.addSql(`drop table if exists "visit_slot" cascade;`);
  }

}
