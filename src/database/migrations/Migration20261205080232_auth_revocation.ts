import { Migration } from '@mikro-orm/migrations';

export class Migration20261205080232_auth_revocation extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "staff_login_throttle" ("key" text not null, "failures" int not null, "last_failure_at" timestamptz not null, "blocked_until" timestamptz null, constraint "staff_login_throttle_pkey" primary key ("key"));`);
    this.addSql(`create index "staff_login_throttle_last_failure_idx" on "staff_login_throttle" ("last_failure_at");`);

    this.addSql(`alter table "citizen" add column "token_epoch" int not null default 0;`);

    this.addSql(`alter table "api_client" add column "token_epoch" int not null default 0;`);

    // the hard lock-out is gone (staff_login_throttle instead); a failure count is no epoch
    this.addSql(`alter table "staff_user" drop column "locked_until", drop column "failed_logins";`);
    this.addSql(`alter table "staff_user" add column "token_epoch" int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "staff_login_throttle" cascade;`);

    this.addSql(`alter table "api_client" drop column "token_epoch";`);

    this.addSql(`alter table "citizen" drop column "token_epoch";`);

    this.addSql(`alter table "staff_user" drop column "token_epoch";`);
    this.addSql(`alter table "staff_user" add column "failed_logins" int not null default 0, add column "locked_until" timestamptz(6) null;`);
  }

}
