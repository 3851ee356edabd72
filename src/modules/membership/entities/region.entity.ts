import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A municipal region (منطقه) with its service desk (میز خدمت) contact details. */
@Entity({ tableName: 'region' })
export class Region {
  @PrimaryKey({ type: 'smallint', autoincrement: false })
  id: number;

  @Property({ type: 'text' })
  name: string;

  @Property({ type: 'text[]', columnType: 'text[]' })
  deskPhones: string[] = [];

  @Property({ type: 'text', nullable: true })
  deskAddress?: string | null;

  @Property({ type: 'text', nullable: true })
  deskHours?: string | null;

  @Property({ type: 'boolean' })
  active: boolean = true;

  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
