import { Injectable } from '@nestjs/common';
import { uuidv7 } from '@app/common';
import { query, Query, Row } from '../../../database/sql';

/** A person of the sandbox registry, as stored. */
export interface RegistryPersonRow {
  id: string;
  nationalId: string;
  mobile: string | null;
  firstName: string;
  lastName: string;
  fatherName: string;
  birthDate: string;
  alive: boolean;
  note: string | null;
  updatedAt: Date;
}

export type RegistryPersonFields = Omit<RegistryPersonRow, 'id' | 'updatedAt'>;

const COLUMNS = `id, national_id, mobile, first_name, last_name, father_name, birth_date, alive, note, updated_at`;

function toRow(r: Row): RegistryPersonRow {
  return {
    id: String(r.id),
    nationalId: String(r.national_id),
    mobile: r.mobile == null ? null : String(r.mobile),
    firstName: String(r.first_name),
    lastName: String(r.last_name),
    fatherName: String(r.father_name),
    birthDate: String(r.birth_date),
    alive: Boolean(r.alive),
    note: r.note == null ? null : String(r.note),
    updatedAt: new Date(r.updated_at as string),
  };
}

/** The statements on `identity_registry_person` (the sandbox identity registry). */
@Injectable()
export class IdentityRegistryRepository {
  byNationalId(nationalId: string): Query<RegistryPersonRow | null> {
    return query(`select ${COLUMNS} from identity_registry_person where national_id = ?`, [nationalId], (rows) => (rows[0] ? toRow(rows[0]) : null));
  }

  /** A page, newest first; `search` matches a national ID or mobile prefix. */
  page(limit: number, offset: number, search?: string): Query<{ items: RegistryPersonRow[]; total: number }> {
    const where = search ? `where national_id like ? or mobile like ?` : '';
    const params = search ? [`${search}%`, `${search}%`] : [];
    return query(
      `select ${COLUMNS}, count(*) over () as total from identity_registry_person ${where}
        order by created_at desc, id desc limit ? offset ?`,
      [...params, limit, offset],
      (rows) => ({ items: rows.map(toRow), total: rows[0] ? Number(rows[0].total) : 0 }),
    );
  }

  /** Inserts a person, or replaces the one with this national ID (the seed and the admin's "add"); returns the row. */
  upsert(p: RegistryPersonFields): Query<RegistryPersonRow> {
    return query(
      `insert into identity_registry_person (id, national_id, mobile, first_name, last_name, father_name, birth_date, alive, note)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (national_id) do update set mobile = excluded.mobile, first_name = excluded.first_name,
         last_name = excluded.last_name, father_name = excluded.father_name, birth_date = excluded.birth_date,
         alive = excluded.alive, note = excluded.note, updated_at = now()
       returning ${COLUMNS}`,
      [uuidv7(), p.nationalId, p.mobile, p.firstName, p.lastName, p.fatherName, p.birthDate, p.alive, p.note],
      (rows) => toRow(rows[0]),
    );
  }

  /** Inserts a person unless the national ID is listed; true when inserted (the demo seed keeps admins' edits). */
  insertIfAbsent(p: RegistryPersonFields): Query<boolean> {
    return query(
      `insert into identity_registry_person (id, national_id, mobile, first_name, last_name, father_name, birth_date, alive, note)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (national_id) do nothing returning id`,
      [uuidv7(), p.nationalId, p.mobile, p.firstName, p.lastName, p.fatherName, p.birthDate, p.alive, p.note],
      (rows) => rows.length > 0,
    );
  }

  /** Changes the given fields of the person with this national ID; null when there is none. */
  update(nationalId: string, changes: Partial<Omit<RegistryPersonFields, 'nationalId'>>): Query<RegistryPersonRow | null> {
    const columns: Record<keyof typeof changes, string> = {
      mobile: 'mobile',
      firstName: 'first_name',
      lastName: 'last_name',
      fatherName: 'father_name',
      birthDate: 'birth_date',
      alive: 'alive',
      note: 'note',
    };
    const set = (Object.keys(columns) as Array<keyof typeof changes>).filter((k) => changes[k] !== undefined);
    return query(
      `update identity_registry_person set ${[...set.map((k) => `${columns[k]} = ?`), 'updated_at = now()'].join(', ')}
        where national_id = ? returning ${COLUMNS}`,
      [...set.map((k) => changes[k]), nationalId],
      (rows) => (rows[0] ? toRow(rows[0]) : null),
    );
  }

  remove(nationalId: string): Query<boolean> {
    return query(`delete from identity_registry_person where national_id = ? returning id`, [nationalId], (rows) => rows.length > 0);
  }
}
