import { Migration } from '@mikro-orm/migrations';

export class Migration20261125160146_properties extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "city_layer_feature" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "layer" text not null, "name" text not null, "kind" text null, "properties" jsonb null, "geom" geometry(Geometry, 4326) not null, constraint "city_layer_feature_pkey" primary key ("id"));`);
    this.addSql(`create index "city_layer_feature_geom_gist" on "city_layer_feature" using gist ("geom");`);
    this.addSql(`create index "city_layer_feature_layer_idx" on "city_layer_feature" ("layer");`);

    this.addSql(`create table "property" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "renewal_code" text not null, "region" smallint not null, "district" int not null, "block" int not null, "parcel" int not null, "building" int not null default 0, "apartment" int not null default 0, "shop" int not null default 0, "address" text not null, "postal_code" text null, "plate_main" text null, "plate_sub" text null, "land_area" double precision not null, "building_area" double precision not null default 0, "use" text check ("use" in ('residential', 'commercial', 'office', 'mixed', 'educational', 'health', 'green', 'industrial', 'other')) not null, "floors" int not null default 0, "units" int not null default 0, "construction_year" int null, "structure_type" text check ("structure_type" in ('steel', 'concrete', 'masonry', 'other')) not null default 'other', "access_road_width" double precision null, "frontage" double precision null, "zone_code" text null, "geom" geometry(MultiPolygon, 4326) null, constraint "property_pkey" primary key ("id"));`);
    this.addSql(`alter table "property" add constraint "property_renewal_code_unique" unique ("renewal_code");`);
    this.addSql(`create index "property_renewal_code_prefix" on "property" ("renewal_code" text_pattern_ops);`);
    this.addSql(`create index "property_address_trgm" on "property" using gin ("address" gin_trgm_ops);`);
    this.addSql(`create index "property_geom_gist" on "property" using gist ("geom");`);
    this.addSql(`create index "property_plate_idx" on "property" ("plate_main", "plate_sub");`);
    this.addSql(`create index "property_postal_code_idx" on "property" ("postal_code");`);
    this.addSql(`create index "property_region_idx" on "property" ("region");`);

    this.addSql(`create table "property_certificate" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "property_id" uuid not null, "kind" text check ("kind" in ('apartment_completion', 'transfer', 'inquiry', 'building_permit', 'completion', 'other')) not null, "request_number" text not null, "jalali_year" int not null, "issue_date" date not null, constraint "property_certificate_pkey" primary key ("id"));`);
    this.addSql(`alter table "property_certificate" add constraint "property_certificate_request_number_unique" unique ("request_number");`);
    this.addSql(`create index "property_certificate_property_idx" on "property_certificate" ("property_id", "issue_date");`);

    this.addSql(`create table "property_owner" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "property_id" uuid not null, "national_id" text not null, "full_name" text not null, "share_percent" double precision not null, constraint "property_owner_pkey" primary key ("id"));`);
    this.addSql(`create index "property_owner_national_id_idx" on "property_owner" ("national_id");`);

    this.addSql(`create table "widening_plan" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" text not null, "street_name" text null, "approval_date" text not null, "geom" geometry(MultiPolygon, 4326) not null, constraint "widening_plan_pkey" primary key ("id"));`);
    this.addSql(`create index "widening_plan_geom_gist" on "widening_plan" using gist ("geom");`);

    this.addSql(`create table "zone" ("code" text not null, "name" text not null, "rules" jsonb not null, "plan_name" text not null, "approval_date" text not null, "geom" geometry(MultiPolygon, 4326) not null, "updated_at" timestamptz not null, constraint "zone_pkey" primary key ("code"));`);
    this.addSql(`create index "zone_geom_gist" on "zone" using gist ("geom");`);

    this.addSql(`alter table "property_certificate" add constraint "property_certificate_property_id_foreign" foreign key ("property_id") references "property" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "property_owner" add constraint "property_owner_property_id_foreign" foreign key ("property_id") references "property" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "property_certificate" drop constraint "property_certificate_property_id_foreign";`);

    this.addSql(`alter table "property_owner" drop constraint "property_owner_property_id_foreign";`);

    this.addSql(`drop table if exists "city_layer_feature" cascade;`);

    this.addSql(`drop table if exists "property" cascade;`);

    this.addSql(`drop table if exists "property_certificate" cascade;`);

    this.addSql(`drop table if exists "property_owner" cascade;`);

    this.addSql(`drop table if exists "widening_plan" cascade;`);

    this.addSql(`drop table if exists "zone" cascade;`);
  }

}
