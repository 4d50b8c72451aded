#!/usr/bin/env node
// Builds the page into web/dist with esbuild: web/src/main.ts → app.js (marked and dompurify
// bundled), theme.js, styles.css, index.html and static assets. Help lines per region are
// inlined from knowledge/safety/resources.json (or a tiny built-in list), and the seven
// steps' titles and summaries from knowledge/steps, so crisis lines and step cards show even
// when the server or the model is unreachable. Needs nothing from the server's code at run
// time: the page imports the protocol's types from src/protocol, and esbuild erases those.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const started = Date.now();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'web');
const dist = join(web, 'dist');
const watch = process.argv.includes('--watch');

const REGIONS = ['US', 'UK', 'CA', 'AU', 'IE', 'NZ', 'OTHER'];

/** knowledge/safety/resources.json, checked; null (→ the page's built-in list) if missing or malformed. */
function readHelpLines() {
  const file = join(root, 'knowledge', 'safety', 'resources.json');
  if (!existsSync(file)) {
    console.warn('build-web: knowledge/safety/resources.json not found; using the built-in help lines');
    return null;
  }
  try {
    const data = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('expected an object keyed by region');
    // Keyed by region at the top, or under "regions" (beside a description).
    const byRegion = typeof data.regions === 'object' && data.regions !== null && !Array.isArray(data.regions) ? data.regions : data;
    const out = {};
    for (const region of REGIONS) {
      const list = byRegion[region];
      if (list === undefined) continue;
      if (!Array.isArray(list)) throw new Error(`${region} is not an array`);
      out[region] = list.map((r, i) => {
        const where = `${region}[${i}]`;
        if (typeof r !== 'object' || r === null) throw new Error(`${where} is not an object`);
        for (const key of ['id', 'name', 'source']) if (typeof r[key] !== 'string') throw new Error(`${where}.${key} is not a string`);
        if (!Array.isArray(r.purpose) || !r.purpose.every((p) => typeof p === 'string')) throw new Error(`${where}.purpose is not a list of strings`);
        const item = { id: r.id, name: r.name, purpose: r.purpose, source: r.source };
        for (const key of ['phone', 'text', 'web', 'hours']) {
          if (r[key] === undefined || r[key] === null) continue;
          if (typeof r[key] !== 'string') throw new Error(`${where}.${key} is not a string`);
          item[key] = r[key];
        }
        return item;
      });
    }
    if (!Object.keys(out).length) throw new Error('no known region in it');
    return out;
  } catch (error) {
    console.warn(`build-web: knowledge/safety/resources.json is not usable (${error.message}); using the built-in help lines`);
    return null;
  }
}

/** knowledge/steps/*.md: id, step, title, summary from the front matter (one-line values) and the card's Markdown. */
function readSteps() {
  const dir = join(root, 'knowledge', 'steps');
  if (!existsSync(dir)) return [];
  const steps = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.md')).sort()) {
    try {
      const text = readFileSync(join(dir, name), 'utf8');
      const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
      const field = (key) => {
        const value = new RegExp(`^${key}:\\s*(.*)$`, 'm').exec(front)?.[1]?.trim() ?? '';
        return value.replace(/^(["'])(.*)\1$/, '$2');
      };
      const id = field('id');
      const step = Number(field('step'));
      const title = field('title');
      const markdown = text.slice(text.indexOf('---', 3) + 3).trim();
      if (id && title && Number.isInteger(step)) steps.push({ id, step, title, summary: field('summary'), markdown });
    } catch { /* a broken file only loses its offline summary */ }
  }
  return steps.sort((a, b) => a.step - b.step);
}

/**
 * A value imported from the server's src/ would bundle its zod schemas (and zod) into the
 * page, silently: the build fails instead, naming the import to make type-only.
 */
const typesOnlyFromServer = {
  name: 'types-only-from-server',
  setup(build) {
    const page = join(web, 'src') + sep;
    const server = join(root, 'src') + sep;
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (!args.importer.startsWith(page) || !resolve(args.resolveDir, args.path).startsWith(server)) return undefined;
      return { errors: [{ text: `${relative(root, args.importer)} imports a value from "${args.path}"; the page may only "import type" from the server's code` }] };
    });
  },
};

async function loadEsbuild() {
  try {
    return await import('esbuild');
  } catch {
    return null;
  }
}

function copyStatic() {
  for (const name of ['index.html', 'favicon.svg']) {
    const from = join(web, name);
    if (existsSync(from)) copyFileSync(from, join(dist, name));
  }
}

async function main() {
  const esbuild = await loadEsbuild();
  if (!esbuild) {
    // e.g. `npm install --omit=dev`: don't break the install; an existing build keeps working.
    console.warn(`build-web: esbuild is not installed; ${existsSync(join(dist, 'app.js')) ? 'keeping the existing web/dist' : 'the page is not built (run npm install with dev dependencies)'}`);
    return;
  }
  const helpLines = readHelpLines();
  const steps = readSteps();
  const define = {
    __MEND_HELP_LINES__: JSON.stringify(helpLines),
    __MEND_STEPS__: JSON.stringify(steps),
    __MEND_BUILD__: JSON.stringify(new Date().toISOString()),
  };
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  const common = {
    bundle: true, minify: !watch, sourcemap: 'linked', target: ['chrome100', 'firefox100', 'safari15.4', 'edge100'],
    legalComments: 'none', logLevel: 'warning', absWorkingDir: root,
  };
  const builds = [
    // Split so the progress chart (Chart.js) is its own file, loaded only when she opens her progress.
    { ...common, entryPoints: { app: join(web, 'src', 'main.ts') }, outdir: dist, format: 'esm', splitting: true, chunkNames: 'chunks/[name]-[hash]', platform: 'browser', define, charset: 'utf8', plugins: [typesOnlyFromServer] },
    { ...common, entryPoints: { theme: join(web, 'src', 'theme-boot.ts') }, outdir: dist, format: 'iife', platform: 'browser', sourcemap: false },
    { ...common, entryPoints: { styles: join(web, 'styles.css') }, outdir: dist, loader: { '.svg': 'file' } },
  ];
  if (watch) {
    for (const options of builds) await (await esbuild.context(options)).watch();
    copyStatic();
    console.log('build-web: watching web/ for changes');
    return;
  }
  await Promise.all(builds.map((options) => esbuild.build(options)));
  copyStatic();
  writeFileSync(join(dist, 'build.json'), JSON.stringify({ builtAt: define.__MEND_BUILD__.slice(1, -1), helpLines: helpLines ? 'knowledge/safety/resources.json' : 'built-in' }) + '\n');
  console.log(`build-web: web/dist built in ${Date.now() - started} ms (help lines: ${helpLines ? 'resources.json' : 'built-in'}, ${steps.length} step cards)`);
}

main().catch((error) => {
  console.error(`build-web: ${error.message}`);
  process.exit(1);
});
