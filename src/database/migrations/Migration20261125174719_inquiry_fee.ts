import { Migration } from '@mikro-orm/migrations';

export class Migration20261125174719_inquiry_fee extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "billing_demand" drop constraint if exists "billing_demand_fee_type_check";`);

    this.addSql(`alter table "billing_demand" add constraint "billing_demand_fee_type_check" check("fee_type" in ('renewal', 'waste', 'guild', 'inquiry'));`);

    this.addSql(`alter table "billing_tariff" add column "inquiry" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "billing_demand" drop constraint if exists "billing_demand_fee_type_check";`);

    this.addSql(`alter table "billing_demand" add constraint "billing_demand_fee_type_check" check("fee_type" in ('renewal', 'waste', 'guild'));`);

    this.addSql(`alter table "billing_tariff" drop column "inquiry";`);
  }

}
