/**
 * The table-ownership check (`npm run check:sql`).
 *
 * Reads every TypeScript file under src/ and libs/ (specs and migrations aside) with the
 * TypeScript parser, finds the string and template literals that are SQL, and fails when:
 *  - SQL appears in a file that is not a repository (`*.repository.ts`) or a read model
 *    (`*.read-model.ts`, a repository another module may use) of a module, an entity's
 *    own definition (`*.entity.ts`: generated columns, formulas), or one of the few
 *    database-infrastructure files listed below;
 *  - such a file names a table its module does not own. A module owns the tables of the
 *    entities in its own folder (`@Entity({ tableName })`).
 *
 * `--count` prints the SQL literals per folder instead (the issue's before/after table).
 */
/* eslint-disable no-console -- a command-line check: its output is the report */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..');
/** Infrastructure that runs statements on no module's table (session settings, locks, health). */
const INFRASTRUCTURE = new Set(['src/database/long-statements.ts', 'src/database/prepare.ts']);

/** The files that may hold SQL. */
const SQL_FILE = /\.(repository|read-model|entity)\.ts$/;

const SQL_START = /^\s*\(?\s*(select\s|insert\s+into\s|update\s+[a-z_"]+\s+(as\s+\w+\s+)?set\s|delete\s+from\s|with\s+(recursive\s+)?[a-z_]+\s+as\s*\(|lock\s+table\s|set\s+(local\s+)?[a-z_.]+\s*(=|to)\s|truncate\s|create\s+(table|index|unique|extension|or)|alter\s+table\s|drop\s+(table|index)\s)/i;
const SQL_INSIDE = /\b(select\s[\s\S]*\sfrom\s|insert\s+into\s+[a-z_]+|update\s+[a-z_]+\s+set\s|delete\s+from\s+[a-z_]+|on\s+conflict\s*\(|returning\s+[a-z_*])/i;
const TABLE_REF = /\b(?:from|join|into|update|table|exists\s*\(\s*select\s+[^()]*?\s+from)\s+("?[a-z_][a-z0-9_]*"?)(?:\s|$|,|\)|;)/gi;

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'migrations' || name === 'dist') continue;
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((s) => ` \${} ${s.literal.text}`).join('');
  return undefined;
}

export function isSql(text: string): boolean {
  return SQL_START.test(text) || SQL_INSIDE.test(text);
}

export interface SqlLiteral { file: string; line: number; text: string; tables: string[] }

export function sqlLiterals(file: string, source = readFileSync(file, 'utf8')): SqlLiteral[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true);
  const found: SqlLiteral[] = [];
  const visit = (node: ts.Node): void => {
    const text = literalText(node);
    if (text !== undefined && isSql(text)) {
      const tables = [...text.matchAll(TABLE_REF)].map((m) => m[1].replace(/"/g, '').toLowerCase());
      found.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, text, tables });
      return; // a template's spans are part of the same literal
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** table name → owning module folder (src/modules/<module>), from the entities' tableName. */
export function tableOwners(files: string[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/tableName:\s*'([a-z0-9_]+)'/g)) owners.set(m[1], moduleOf(file) ?? relative(ROOT, file));
  }
  return owners;
}

function moduleOf(file: string): string | undefined {
  const parts = relative(ROOT, file).split(sep);
  return parts[0] === 'src' && parts[1] === 'modules' ? parts.slice(0, 3).join('/') : undefined;
}

function folderOf(file: string): string {
  const parts = relative(ROOT, file).split(sep);
  return parts[0] === 'src' && parts[1] === 'modules' ? parts.slice(0, 3).join('/') : parts.slice(0, Math.min(2, parts.length - 1)).join('/');
}

function main(): void {
  const files = [...walk(join(ROOT, 'src')), ...walk(join(ROOT, 'libs'))];
  const literals = files.flatMap((f) => sqlLiterals(f));
  if (process.argv.includes('--count')) {
    const perFolder = new Map<string, { literals: number; files: Set<string> }>();
    for (const l of literals) {
      const key = folderOf(l.file);
      const entry = perFolder.get(key) ?? { literals: 0, files: new Set<string>() };
      entry.literals++;
      entry.files.add(l.file);
      perFolder.set(key, entry);
    }
    const inRepos = literals.filter((l) => SQL_FILE.test(l.file)).length;
    for (const [folder, e] of [...perFolder].sort()) console.log(`${folder.padEnd(34)} ${String(e.literals).padStart(4)} literals in ${e.files.size} files`);
    console.log(`total ${literals.length} SQL literals in ${new Set(literals.map((l) => l.file)).size} files; ${inRepos} of them in repositories, read models and entities`);
    return;
  }
  const owners = tableOwners(files);
  const problems: string[] = [];
  for (const l of literals) {
    const where = `${relative(ROOT, l.file)}:${l.line}`;
    const rel = relative(ROOT, l.file).split(sep).join('/');
    if (INFRASTRUCTURE.has(rel)) continue;
    if (!SQL_FILE.test(l.file)) {
      problems.push(`${where}: SQL outside a repository: ${l.text.replace(/\s+/g, ' ').slice(0, 90)}`);
      continue;
    }
    const mine = moduleOf(l.file);
    for (const table of l.tables) {
      const owner = owners.get(table);
      if (owner && owner !== mine) problems.push(`${where}: names table "${table}", owned by ${owner}`);
    }
  }
  if (problems.length) {
    console.error(problems.join('\n'));
    console.error(`\n${problems.length} table-ownership problem(s)`);
    process.exit(1);
  }
  console.log(`table ownership: ${literals.length} SQL literals, all in their owner's repository`);
}

if (require.main === module) main();
