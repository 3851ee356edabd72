/*
 * `npm start`'s build step: compiles src/ and libs/ into dist/ (`npm run build`) unless the
 * last build is newer than every source. A restart then does not spend its first seconds
 * recompiling unchanged code. Directory times count too, so a deleted or renamed file also
 * triggers a build.
 */
const { execSync } = require('node:child_process');
const { readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const STAMP = join('dist', '.build-stamp');
const INPUTS = ['src', 'libs', '.swcrc', 'tsconfig.json', 'package.json', 'package-lock.json'];

function newest(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  let latest = stat.mtimeMs;
  if (stat.isDirectory()) for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

const built = newest(STAMP); // 0 when there is no stamp yet
const sources = Math.max(...INPUTS.map(newest));
if (built > 0 && sources < built) {
  process.stdout.write('dist/ is current: no build needed\n');
} else {
  execSync('npm run -s build', { stdio: 'inherit' });
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}
