// Runs tests/**/*.test.mjs and browser/**/*.test.mjs with node's test runner, one file at a
// time (each file starts its own server). Node 20's `node --test` takes no glob patterns
// (they arrived in 21), so the files are listed here and passed explicitly; this works the
// same on later versions. Extra arguments are passed on (e.g. --test-name-pattern=seeds).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

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

const files = [...testFiles('tests'), ...testFiles('browser')];
if (files.length === 0) {
  console.error('no test files found under tests/ or browser/');
  process.exit(1);
}
const r = spawnSync(process.execPath, [
  '--test',
  '--test-concurrency=1',
  '--test-timeout=180000', // a safety net only: every wait in the tests has its own deadline
  ...process.argv.slice(2),
  ...files,
], { cwd: here, stdio: 'inherit' });
if (r.error) throw r.error;
process.exit(r.status ?? 1);
