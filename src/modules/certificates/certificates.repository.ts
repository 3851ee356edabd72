import { Injectable } from '@nestjs/common';
import { firstRow, query, type Query } from '../../database/sql';

/** The statements on `certificate` that the entity cannot express: its number sequence and a row lock by number. */
@Injectable()
export class CertificatesRepository {
  /** The next value of the certificate id sequence (the serial part of a certificate's number), as decimal text. */
  nextSerial(): Query<string> {
    return query(`select nextval(pg_get_serial_sequence('certificate', 'id'))::text as id`, [], ([r]) => String(r.id));
  }

  /** Locks the certificate with this number for the caller's transaction; its id, or undefined when there is none. */
  lockByNumber(number: string): Query<string | undefined> {
    return query(`select id::text as id from certificate where number = ? for update`, [number], firstRow((r) => String(r.id)));
  }
}
