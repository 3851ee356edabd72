import { Migration } from '@mikro-orm/migrations';

export class Migration20261206030146_document_verdicts extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "inquiry_document" add column "verdict" text null, add column "verdict_reason" text null, add column "verdict_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "inquiry_document" drop column "verdict", drop column "verdict_reason", drop column "verdict_at";`);
  }

}
