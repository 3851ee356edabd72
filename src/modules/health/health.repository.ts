import { Injectable } from '@nestjs/common';
import { statement, type Query } from '../../database/sql';

/** The readiness probe's one statement: it names no table, it only proves a connection answers. */
@Injectable()
export class HealthRepository {
  ping(): Query<void> {
    return statement('select 1', []);
  }
}
