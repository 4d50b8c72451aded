#!/usr/bin/env node
// Compiles the server into dist/ with esbuild: dist/main.js (what `npm start` runs) and
// dist/cli.js (`mend chat`, `mend screen`), each one ESM file with its dependencies bundled, so
// a start loads two files instead of a thousand and never compiles TypeScript (tsx did that on
// every start). better-sqlite3 stays outside: it loads a native addon.
//
// Data is found from the compiled file as from the source: every `import.meta.url` in src/X/Y.ts
// is rewritten to the URL that dist/X/Y.js would have. Both bundles sit at dist/, one level
// below the root like src/, so `new URL('../../knowledge/', import.meta.url)` in src/safety/rules.ts
// still names <root>/knowledge/ (and models/, prompts/, web/ alike) wherever the process runs.
//
//   node scripts/build-server.mjs               build
//   node scripts/build-server.mjs --if-changed  build only when src/, the lock file or this script is newer than dist/
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const started = Date.now();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');
const OUTPUTS = [join(dist, 'main.js'), join(dist, 'cli.js')];

/** The newest modification time under `dir` (recursively), in ms. */
function newestUnder(dir) {
  let newest = 0;
  for (const name of readdirSync(dir, { recursive: true })) {
    newest = Math.max(newest, statSync(join(dir, String(name))).mtimeMs);
  }
  return newest;
}

function upToDate() {
  if (!OUTPUTS.every((file) => existsSync(file))) return false;
  const built = Math.min(...OUTPUTS.map((file) => statSync(file).mtimeMs));
  const inputs = [newestUnder(src), statSync(fileURLToPath(import.meta.url)).mtimeMs];
  const lock = join(root, 'package-lock.json');
  if (existsSync(lock)) inputs.push(statSync(lock).mtimeMs);
  return Math.max(...inputs) < built;
}

/** Each source file keeps the import.meta.url of its own place, mirrored under dist/. */
const sourceLocation = {
  name: 'source-location',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (!args.path.startsWith(src + sep)) return undefined;
      const mirrored = relative(src, args.path).split(sep).join('/').replace(/\.ts$/, '.js');
      const text = readFileSync(args.path, 'utf8');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(mirrored)}, import.meta.url).href`), loader: 'ts' };
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

async function main() {
  if (process.argv.includes('--if-changed') && upToDate()) return;
  const esbuild = await loadEsbuild();
  if (!esbuild) {
    // e.g. `npm install --omit=dev`: don't break the install; an existing build keeps working.
    console.warn(`build-server: esbuild is not installed; ${existsSync(OUTPUTS[0]) ? 'keeping the existing dist/' : 'the server is not built (run npm install with dev dependencies)'}`);
    return;
  }
  await esbuild.build({
    entryPoints: { main: join(src, 'main.ts'), cli: join(src, 'cli', 'main.ts') },
    outdir: dist,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3'],
    // Smaller files parse faster at start; names are kept so stack traces stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    absWorkingDir: root,
    plugins: [sourceLocation],
    // Bundled CommonJS packages call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __mendCreateRequire } from 'node:module'; const require = __mendCreateRequire(import.meta.url);" },
  });
  console.log(`build-server: dist/main.js and dist/cli.js built in ${Date.now() - started} ms`);
}

main().catch((error) => {
  console.error(`build-server: ${error.message}`);
  process.exit(1);
});
