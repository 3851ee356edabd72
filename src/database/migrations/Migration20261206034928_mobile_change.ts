import { Migration } from '@mikro-orm/migrations';

export class Migration20261206034928_mobile_change extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "otp_challenge" drop constraint if exists "otp_challenge_purpose_check";`);

    this.addSql(`alter table "otp_challenge" add constraint "otp_challenge_purpose_check" check("purpose" in ('citizen_login', 'staff_2fa', 'mobile_change'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "otp_challenge" drop constraint if exists "otp_challenge_purpose_check";`);

    this.addSql(`alter table "otp_challenge" add constraint "otp_challenge_purpose_check" check("purpose" in ('citizen_login', 'staff_2fa'));`);
  }

}
