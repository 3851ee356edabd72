import { MikroORM } from '@mikro-orm/postgresql';
import { INestApplicationContext, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/app-config';
import { StaffRole, StaffUser } from '../modules/membership/entities/staff-user.entity';
import { StaffService } from '../modules/membership/staff.service';

const logger = new Logger('DemoSeed');

export interface DemoStaff {
  username: string;
  password: string;
  fullName: string;
  roles: StaffRole[];
  regions: number[];
}

/** What `DATA_DIR/demo.json` holds: every demo account and sample case of the sandbox. */
export interface DemoFile {
  note: string;
  createdAt: string;
  staff: DemoStaff[];
}

export function demoFilePath(config: ResolvedConfig): string {
  return join(config.dataDir, 'demo.json');
}

/**
 * Embedded mode only (never with DATABASE_URL): creates the demo accounts once and writes
 * their credentials to DATA_DIR/demo.json. Idempotent: an existing account is kept.
 */
export async function seedDemo(app: INestApplicationContext, config: ResolvedConfig): Promise<DemoFile> {
  if (!config.database.embedded) throw new Error('demo data is only created in embedded mode');
  const file = demoFilePath(config);
  const existing: DemoFile | undefined = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  const em = (app.get(MikroORM) as MikroORM).em.fork();
  const staffService = app.get(StaffService);

  const wanted: Omit<DemoStaff, 'password'>[] = [
    { username: 'admin', fullName: 'مدیر سامانه (نمونه)', roles: [StaffRole.Admin], regions: [] },
  ];
  const staff: DemoStaff[] = [];
  for (const w of wanted) {
    const known = existing?.staff.find((s) => s.username === w.username);
    const exists = (await em.count(StaffUser, { username: w.username })) > 0;
    if (exists && known) {
      staff.push(known);
      continue;
    }
    if (exists) {
      logger.warn(`demo account "${w.username}" exists but its password is not in demo.json; leaving it unchanged`);
      continue;
    }
    const password = `demo-${randomBytes(6).toString('base64url')}`;
    await staffService.create({ ...w, password }, em);
    staff.push({ ...w, password });
  }
  const demo: DemoFile = {
    note:
      'Sandbox accounts of the embedded mode (never created with DATABASE_URL). Staff: POST /api/v1/staff/auth/login, ' +
      'then Authorize → staff in Swagger UI.',
    createdAt: existing?.createdAt ?? new Date().toISOString(),
    staff,
  };
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(demo, null, 2) + '\n', { mode: 0o600 });
  return demo;
}
