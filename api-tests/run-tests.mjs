// Runs tests/**/*.test.mjs and browser/**/*.test.mjs with node's test runner. Each file gets
// its own `node --test` process, one after another (each file starts its own server), with a
// deadline of its own: that works the same on Debian 12's Node 18 (which has neither
// --test-concurrency nor --test-timeout, nor glob patterns) and on later versions. Extra
// arguments are passed on (e.g. --test-name-pattern=seeds); file names among them select files.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// A safety net only: every wait in the tests has its own, much shorter deadline.
const FILE_DEADLINE_MS = 5 * 60_000;

function testFiles(dir) {
  const root = path.join(here, dir);
  if (!existsSync(root)) return [];
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.test.mjs')) out.push(path.relative(here, p));
    }
  };
  walk(root);
  return out;
}

const args = process.argv.slice(2);
const named = args.filter((a) => a.endsWith('.test.mjs'));
const flags = args.filter((a) => !a.endsWith('.test.mjs'));
const files = named.length > 0 ? named : [...testFiles('tests'), ...testFiles('browser')];
if (files.length === 0) {
  console.error('no test files found under tests/ or browser/');
  process.exit(1);
}

const failed = [];
const started = Date.now();
for (const file of files) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--test', ...flags, file], {
    cwd: here,
    stdio: 'inherit',
    timeout: FILE_DEADLINE_MS,
    killSignal: 'SIGKILL',
  });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.error || r.status !== 0) {
    const why = r.error?.code === 'ETIMEDOUT' ? `no end after ${FILE_DEADLINE_MS / 1000} s`
      : r.error ? r.error.message : r.signal ? `signal ${r.signal}` : `exit ${r.status}`;
    failed.push(`${file} (${why})`);
    console.error(`# FAILED ${file}: ${why}, ${secs} s`);
  } else {
    console.log(`# passed ${file} in ${secs} s`);
  }
}
const total = ((Date.now() - started) / 1000).toFixed(1);
if (failed.length > 0) {
  console.error(`# ${failed.length} of ${files.length} test files failed in ${total} s:\n#   ${failed.join('\n#   ')}`);
  process.exit(1);
}
console.log(`# all ${files.length} test files passed in ${total} s`);
