import { Migration } from '@mikro-orm/migrations';

export class Migration20261205215428_widening_width extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "widening_plan" add column "current_width" double precision null, add column "planned_width" double precision null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "widening_plan" drop column "current_width", drop column "planned_width";`);
  }

}
