/* Summarises the logs of bench/ab.sh: per benchmark and measure, each pair's old and new
 * figures, the new/old ratio per pair and its median, and the bare server's figure of the
 * same runs.   node -r ./scripts/register.js bench/ab-summary.ts <log dir> */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type Extract = (log: string) => Record<string, number>;
const num = (re: RegExp, log: string, nth = 0): number => {
  const all = [...log.matchAll(new RegExp(re.source, 'gm'))];
  return all[nth] ? Number(all[nth][1]) : NaN;
};
const propertyRoutes: Array<[string, string]> = [
  ['renewal-code lookup', 'bare node:http\\+pg lookup'],
  ['point lookup', 'bare node:http\\+pg point'],
  ['~500-feature bbox', 'bare node:http\\+pg bbox'],
];
const EXTRACT: Record<string, Extract> = {
  debts: (log) => {
    const cpu = num(/server CPU per request: application ([\d.]+) ms/, log);
    const bareCpu = num(/server CPU per request: application [\d.]+ ms, bare ([\d.]+) ms/, log);
    return {
      'debts CPU ms/req': cpu,
      'bare CPU ms/req': bareCpu,
      'debts CPU ÷ bare CPU (same run)': cpu / bareCpu,
      'debts req/s': num(/^GET \/api\/v1\/debts\s+(\d+) req\/s/, log),
      'bare req/s': num(/^bare node:http\+pg, same SQL\s+(\d+) req\/s/, log),
    };
  },
  properties: (log) =>
    Object.fromEntries(
      propertyRoutes.flatMap(([app, bare]) => {
        const esc = app.replace(/[~+]/g, (c) => `\\${c}`);
        return [
          [`${app} CPU ms/req`, num(new RegExp(`^${esc}\\s.*server CPU ([\\d.]+) ms/request`), log)],
          [`${app} req/s`, num(new RegExp(`^${esc}\\s+(\\d+) req/s`), log)],
          [`${app} bare CPU ms/req`, num(new RegExp(`^${bare}\\s.*server CPU ([\\d.]+) ms/request`), log)],
          [`${app} bare req/s`, num(new RegExp(`^${bare}\\s+(\\d+) req/s`), log)],
          [
            `${app} CPU ÷ bare CPU (same run)`,
            num(new RegExp(`^${esc}\\s.*server CPU ([\\d.]+) ms/request`), log) / num(new RegExp(`^${bare}\\s.*server CPU ([\\d.]+) ms/request`), log),
          ],
        ];
      }),
    ),
  'otp-flow': (log) => ({
    'OTP flows/s': num(/= (\d+) flows\/s/, log),
    'OTP server CPU ms/flow': num(/server CPU: ([\d.]+) ms per complete flow/, log),
    'OTP failed iterations': num(/\(errors: (\d+)\)/, log),
    // the bare server's run comes second in the log (absent with --no-bare: NaN)
    'bare flows/s': num(/= (\d+) flows\/s/, log, 1),
    'bare server CPU ms/flow': num(/server CPU: ([\d.]+) ms per complete flow/, log, 1),
    'OTP flows/s ÷ bare (same run)': num(/= (\d+) flows\/s/, log) / num(/= (\d+) flows\/s/, log, 1),
  }),
  inquiries: (log) => ({
    'submissions/s': num(/complete submissions: \d+ in [\d.]+ s = ([\d.]+) \/s/, log, 0),
    'submissions/s ÷ bare (same run)':
      num(/complete submissions: \d+ in [\d.]+ s = ([\d.]+) \/s/, log, 0) / num(/complete submissions: \d+ in [\d.]+ s = ([\d.]+) \/s/, log, 1),
    'server main thread CPU ms/submission': num(/^\s+server main thread\s+([\d.]+) ms/, log, 0),
    'bare submissions/s': num(/complete submissions: \d+ in [\d.]+ s = ([\d.]+) \/s/, log, 1),
    'bare main thread CPU ms/submission': num(/^\s+server main thread\s+([\d.]+) ms/, log, 1),
  }),
};

const dir = process.argv[2] ?? '/tmp/ab';
const runs = new Map<string, Map<number, Record<string, Record<string, number>>>>();
for (const file of readdirSync(dir)) {
  const m = /^(.+)-(\d+)-(old|new)\.log$/.exec(file);
  if (!m || !EXTRACT[m[1]]) continue;
  const [, bench, pair, side] = m;
  const pairs = runs.get(bench) ?? new Map();
  runs.set(bench, pairs);
  const p = pairs.get(Number(pair)) ?? {};
  pairs.set(Number(pair), p);
  p[side] = EXTRACT[bench](readFileSync(join(dir, file), 'utf8'));
}
const median = (xs: number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const f = (x: number) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(3)) : '–');
for (const [bench, pairs] of runs) {
  console.log(`\n### ${bench}\n`);
  const measures = Object.keys([...pairs.values()][0].old ?? [...pairs.values()][0].new);
  const order = [...pairs.keys()].sort((a, b) => a - b);
  console.log(`| measure | ${order.map((i) => `pair ${i} old / new (new÷old)`).join(' | ')} | median new÷old |`);
  console.log(`|---|${order.map(() => '---').join('|')}|---|`);
  for (const measure of measures) {
    const ratios: number[] = [];
    const cells = order.map((i) => {
      const { old, new: neu } = pairs.get(i)!;
      const r = (neu?.[measure] ?? NaN) / (old?.[measure] ?? NaN);
      ratios.push(r);
      return `${f(old?.[measure] ?? NaN)} / ${f(neu?.[measure] ?? NaN)} (${f(r)})`;
    });
    console.log(`| ${measure} | ${cells.join(' | ')} | **${f(median(ratios))}** |`);
  }
}
