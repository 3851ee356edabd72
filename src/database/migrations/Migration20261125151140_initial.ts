import { Migration } from '@mikro-orm/migrations';

export class Migration20261125151140_initial extends Migration {

  override async up(): Promise<void> {
    // Spatial types and indexes (parcels, zoning, widening plans, map layers) and
    // trigram search (Persian addresses) are used by later modules.
    this.addSql(`create extension if not exists postgis;`);
    this.addSql(`create extension if not exists pg_trgm;`);

    this.addSql(`create table "audit_log" ("id" uuid not null, "at" timestamptz not null, "actor_type" text not null, "actor_id" text null, "action" text not null, "target_type" text null, "target_id" text null, "before" jsonb null, "after" jsonb null, "metadata" jsonb null, "request_id" text null, "ip" text null, constraint "audit_log_pkey" primary key ("id"));`);
    this.addSql(`create index "audit_log_actor_idx" on "audit_log" ("actor_type", "actor_id", "at");`);
    this.addSql(`create index "audit_log_target_idx" on "audit_log" ("target_type", "target_id", "at");`);

    this.addSql(`create table "calendar_day" ("date" date not null, "jalali" text not null, "kind" text check ("kind" in ('work', 'half', 'holiday')) not null, "opens_at" text null, "closes_at" text null, "title" text null, "source" text not null default 'generated', "updated_at" timestamptz not null, constraint "calendar_day_pkey" primary key ("date"));`);
    this.addSql(`create index "calendar_day_jalali_idx" on "calendar_day" ("jalali");`);

    this.addSql(`create table "job" ("id" uuid not null, "queue" text not null, "payload" jsonb not null, "status" text check ("status" in ('pending', 'active', 'completed', 'dead')) not null default 'pending', "attempts" int not null default 0, "max_attempts" int not null default 8, "backoff_seconds" int not null default 10, "run_at" timestamptz not null, "dedupe_key" text null, "locked_at" timestamptz null, "locked_by" text null, "last_error" text null, "created_at" timestamptz not null, "finished_at" timestamptz null, constraint "job_pkey" primary key ("id"));`);
    this.addSql(`alter table "job" add constraint "job_dedupe_key_unique" unique ("dedupe_key");`);
    this.addSql(`create index "job_poll_idx" on "job" ("status", "run_at");`);

    this.addSql(`create table "rate_limit_counter" ("key" text not null, "window_start" timestamptz not null, "count" int not null, "expires_at" timestamptz not null, constraint "rate_limit_counter_pkey" primary key ("key", "window_start"));`);
    this.addSql(`create index "rate_limit_counter_expires_idx" on "rate_limit_counter" ("expires_at");`);

    this.addSql(`create table "staff_user" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "username" text not null, "password_hash" text not null, "full_name" text not null, "mobile" text null, "roles" text[] not null, "regions" integer[] not null, "active" boolean not null default true, "failed_logins" int not null default 0, "locked_until" timestamptz null, "last_login_at" timestamptz null, constraint "staff_user_pkey" primary key ("id"));`);
    this.addSql(`alter table "staff_user" add constraint "staff_user_username_unique" unique ("username");`);

    // The audit log is append-only: the database itself refuses to change history.
    this.addSql(`create or replace function audit_log_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_log is append-only' using errcode = 'insufficient_privilege'; end $$;`);
    this.addSql(`create trigger audit_log_no_update_delete before update or delete on "audit_log"
      for each row execute function audit_log_append_only();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists audit_log_no_update_delete on "audit_log";`);
    this.addSql(`drop function if exists audit_log_append_only();`);
    this.addSql(`drop table if exists "audit_log" cascade;`);

    this.addSql(`drop table if exists "calendar_day" cascade;`);

    this.addSql(`drop table if exists "job" cascade;`);

    this.addSql(`drop table if exists "rate_limit_counter" cascade;`);

    this.addSql(`drop table if exists "staff_user" cascade;`);
  }

}
