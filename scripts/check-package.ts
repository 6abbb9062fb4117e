// The packaging check that `npm test` calls (through test/package.test.ts): build, lint the
// package, check its file list and declarations, install the packed tarball in a scratch
// project, type-check every entry point under a Node-only and a DOM-only configuration, import
// them from Node, Deno and Bun, check that an app's own zod is shared, import the sources
// through deno.json, and pack a fresh clone with no build before it.
//
//   npx node scripts/check-package.ts [--root DIR] [--keep]
//
// --root checks another checkout (default: this one); --keep leaves the scratch folder.
// Nothing here needs the network: dependencies of the scratch project are linked from
// this checkout's node_modules, and `npm install` runs with --offline.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const ROOT = resolve(argv.includes('--root') ? argv[argv.indexOf('--root') + 1]! : REPO);
const KEEP = argv.includes('--keep');
const BIN = join(REPO, 'node_modules', '.bin');

/**
 * The public entry points: subpath → built file in dist/ (without extension), the optional peer
 * dependency the entry may import, if any, and whether it is for servers only (no browser build,
 * no `browser` export condition: Node's own, and otel). Adding an entry point is one row here.
 */
const ENTRIES: Readonly<Record<string, { readonly file: string; readonly peer?: string; readonly server?: boolean }>> = {
  '.': { file: 'index' },
  './kit': { file: 'kit/index' },
  './presets': { file: 'presets/index' },
  './schemas': { file: 'schemas/index' },
  './testing': { file: 'testing/index' },
  './testing/msw': { file: 'testing/msw', peer: 'msw' },
  './node': { file: 'node', peer: 'undici', server: true },
  './otel': { file: 'otel/index', peer: '@opentelemetry/api', server: true },
};
/** Exports that are not built code: the JSON Schemas (see scripts/json-schemas.ts). */
const FILE_EXPORTS: Readonly<Record<string, string>> = { './schemas/*.json': './schemas/*.json', './package.json': './package.json' };
/** Built files that are not exports: the CLI that bin/fetchpipe.js runs. */
const BUILT_ONLY = ['cli'];
const PEERS = [...new Set(Object.values(ENTRIES).flatMap((entry) => (entry.peer ? [entry.peer] : [])))];
/** The packages any built file may import: fetchpipe's dependencies (each entry adds its peer). */
const DEPENDENCIES = ['zod/mini'];

/** Every file `npm pack` may ship; anything else fails the check. */
const ALLOWED_FILES = [
  /^package\.json$/,
  /^(README|CHANGELOG)\.md$/,
  /^LICENSE$/,
  // A name may carry a variant (fetch-failure.browser.ts): dots inside it are allowed.
  /^dist\/([\w-]+\/)*[\w-]+(\.[\w-]+)*\.(js|d\.ts)(\.map)?$/,
  /^src\/([\w-]+\/)*[\w-]+(\.[\w-]+)*\.ts$/,
  /^schemas\/[\w-]+\.json$/,
  /^bin\/[\w-]+\.js$/,
];
const REQUIRED_FILES = [
  'package.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'schemas/pipeline.json',
  'schemas/retry.json',
  ...Object.values(ENTRIES).flatMap(({ file }) => [`dist/${file}.js`, `dist/${file}.d.ts`]),
  ...Object.values(ENTRIES).filter(({ server }) => !server).map(({ file }) => `dist/browser/${file}.js`),
  ...BUILT_ONLY.map((name) => `dist/${name}.js`),
];

const failures: string[] = [];
const started = Date.now();

function step(title: string): void {
  console.log(`\n== ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function fail(message: string): void {
  failures.push(message);
  console.log(`FAIL ${message}`);
}

function run(command: string, args: readonly string[], cwd: string, { quiet = false, timeout = 180_000 } = {}): { ok: boolean; stdout: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.replace(/^npm warn Unknown user config.*\n/gm, '');
  const ok = result.status === 0;
  if (!quiet || !ok) process.stdout.write(output.trim() === '' ? '' : `${output.trimEnd()}\n`);
  if (!ok) fail(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal ?? result.error?.message}`);
  return { ok, stdout: result.stdout ?? '' };
}

function checkManifest(): void {
  step('package.json');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  if (pkg.type !== 'module') fail('package.json: "type" must be "module"');
  if (pkg.sideEffects !== false) fail('package.json: "sideEffects" must be false');
  const exportsMap = pkg.exports ?? {};
  const expected = [...Object.keys(ENTRIES), ...Object.keys(FILE_EXPORTS)];
  for (const key of Object.keys(exportsMap)) if (!expected.includes(key)) fail(`package.json: exports has an unexpected "${key}"`);
  for (const [subpath, { file, server }] of Object.entries(ENTRIES)) {
    const entry = exportsMap[subpath];
    if (entry?.types !== `./dist/${file}.d.ts` || entry?.default !== `./dist/${file}.js`) {
      fail(`package.json: exports["${subpath}"] must be { "types": "./dist/${file}.d.ts", "default": "./dist/${file}.js" }`);
    }
    if (!server && entry?.browser !== `./dist/browser/${file}.js`) fail(`package.json: exports["${subpath}"].browser must be "./dist/browser/${file}.js"`);
  }
  for (const [subpath, target] of Object.entries(FILE_EXPORTS)) if (exportsMap[subpath] !== target) fail(`package.json: exports["${subpath}"] must be "${target}"`);
  if (pkg.scripts?.prepack !== 'npm run build') fail('package.json: "prepack" must be "npm run build", so that npm pack and npm publish ship dist/');
  if (pkg.engines?.node !== '>=22') fail('package.json: engines.node must be ">=22" (the suites run on Node 22 and 24)');
  if (!Array.isArray(pkg.keywords) || pkg.keywords.length < 5 || typeof pkg.description !== 'string') fail('package.json: a description and keywords for the registry search');
  for (const [command, target] of Object.entries<string>(pkg.bin ?? {})) {
    if (!/^(\.\/)?bin\/[\w-]+\.js$/.test(target)) fail(`package.json: bin "${command}" must point into bin/, not ${target}`);
  }
  if (typeof pkg.dependencies?.zod !== 'string') fail('package.json: zod must be in "dependencies" (dist imports zod/mini)');
  for (const peer of PEERS) {
    if (typeof pkg.peerDependencies?.[peer] !== 'string' || pkg.peerDependenciesMeta?.[peer]?.optional !== true) {
      fail(`package.json: ${peer} must be an optional peer dependency (peerDependencies + peerDependenciesMeta.optional)`);
    }
  }
}

function checkImportGraph(): void {
  step('dist import graph');
  const dist = join(ROOT, 'dist');
  const importsOf = (file: string): string[] =>
    [...readFileSync(join(dist, file), 'utf8').matchAll(/^(?:import|export)\b[^'";]*?["']([^"']+)["']/gm)].map((m) => m[1]!);
  const entries = [...Object.values(ENTRIES), ...BUILT_ONLY.map((file) => ({ file, peer: undefined }))];
  for (const { file: name, peer } of entries) {
    const seen = new Set<string>();
    const bare = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      if (!existsSync(join(dist, file))) return fail(`dist/${file} is imported but was not built`);
      seen.add(file);
      for (const specifier of importsOf(file)) {
        if (specifier.startsWith('.')) visit(posix.join(posix.dirname(file), specifier));
        else bare.add(specifier);
      }
    };
    visit(`${name}.js`);
    const allowed = new Set([...DEPENDENCIES, ...(peer ? [peer] : [])]);
    const extra = [...bare].filter((specifier) => !allowed.has(specifier));
    if (extra.length > 0) fail(`dist/${name}.js reaches ${extra.join(', ')}: only ${[...allowed].join(', ')} may be imported`);
    else console.log(`dist/${name}.js imports ${[...bare].join(', ') || 'nothing'} (${seen.size} files)`);
  }
}

/**
 * No declaration refers to a document outside the package: no triple-slash references, no
 * import of a package fetchpipe does not depend on, no relative path out of dist/, and every
 * declaration map's sources inside the package (src/ ships for them).
 */
function checkDeclarations(): void {
  step('declarations stay inside the package');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const packages = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
  const files = listFiles(join(ROOT, 'dist')).filter((file) => file.endsWith('.d.ts'));
  for (const file of files) {
    const text = readFileSync(join(ROOT, 'dist', file), 'utf8');
    if (/\/\/\/\s*<reference/.test(text)) fail(`dist/${file} has a triple-slash reference`);
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const [, specifier] of code.matchAll(/(?:from\s*|import\()\s*["']([^"']+)["']/g)) {
      if (specifier!.startsWith('.')) {
        if (posix.join('dist', posix.dirname(file), specifier!).startsWith('..') || !posix.join('dist', posix.dirname(file), specifier!).startsWith('dist/')) fail(`dist/${file} refers to ${specifier} outside dist/`);
      } else if (!packages.has(specifier!.split('/').slice(0, specifier!.startsWith('@') ? 2 : 1).join('/'))) {
        fail(`dist/${file} refers to ${specifier}, which is not a dependency of fetchpipe`);
      }
    }
    const map = join(ROOT, 'dist', `${file}.map`);
    if (!existsSync(map)) {
      // A declaration that only imports and re-exports (dist/index.d.ts) has no map; any other must.
      if (/\b(declare|interface|class|function|const|let|enum)\b|\btype \w+(<[^>]*>)? =/.test(text.replace(/\/\*[\s\S]*?\*\//g, ''))) fail(`dist/${file} has no declaration map`);
      continue;
    }
    for (const source of JSON.parse(readFileSync(map, 'utf8')).sources as string[]) {
      const target = posix.join('dist', posix.dirname(file), source);
      if (!target.startsWith('src/') || !existsSync(join(ROOT, target))) fail(`dist/${file}.map points to ${source}, which the package does not ship`);
    }
  }
  console.log(`${files.length} declaration files checked`);
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

function checkFileList(): void {
  step('npm pack file list');
  const { ok, stdout } = run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT, { quiet: true });
  if (!ok) return;
  const files: string[] = JSON.parse(stdout)[0].files.map((file: { path: string }) => file.path).sort();
  for (const file of files) if (!ALLOWED_FILES.some((pattern) => pattern.test(file))) fail(`npm pack would ship ${file}, which is not allowed`);
  const bins = Object.values<string>(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin ?? {}).map((target) => target.replace(/^\.\//, ''));
  for (const file of [...REQUIRED_FILES, ...bins]) if (!files.includes(file)) fail(`npm pack would not ship ${file}`);
  console.log(files.join('\n'));
}

const NODE_MAIN = `import { backoff, createClient, isMaxRetryError, retry, type FetchFunction } from 'fetchpipe';
import { caveclient, qbraid } from 'fetchpipe/presets';
import { recordingClock, sequence, type Sequence } from 'fetchpipe/testing';
import { sequenceHandler } from 'fetchpipe/testing/msw';
import { optionSchemas, validateOptions } from 'fetchpipe/schemas';
import pkg from 'fetchpipe/package.json' with { type: 'json' };

const clock = recordingClock();
const backend: Sequence = sequence([503, 503, 200]);
const client: FetchFunction = createClient([retry({ total: 3, statusForcelist: [503] }), backoff({ factor: 100, clock })], { fetch: backend });
const response = await client('https://api.example.test/items');
const presets = [caveclient(), qbraid({ baseUrl: 'https://api.example.test/' })].map((list) => list.length);
const handler = sequenceHandler('https://api.example.test/*', [200]).handler;
const error = await createClient([retry({ total: 0 })], { fetch: sequence(['connection-refused']) })('https://api.example.test/').catch((e: unknown) => e);
const schemas = [validateOptions('retry', { total: 2 }).total, optionSchemas.baseUrl.safeParse('ftp://x').success];
/*node*/
console.log(JSON.stringify({ name: pkg.name, status: response.status, calls: backend.calls, waits: clock.waits, presets, handler: typeof handler.run, maxRetry: isMaxRetryError(error), schemas, node: Object.keys(node).length > 0 }));
// Importing msw keeps Deno's event loop alive (msw 3.0.5, Deno 2.9.5): end explicitly.
(globalThis as { Deno?: { exit(code: number): never } }).Deno?.exit(0);
`;
// fetchpipe/node is for Node: Deno cannot hand an undici Agent to its own fetch.
const ON_NODE = "import * as node from 'fetchpipe/node';";
const ON_DENO = 'const node = { runtime: "deno" };';

function installTarball(scratch: string): string | undefined {
  step('npm pack + install into a scratch project');
  const { ok, stdout } = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], ROOT, { quiet: true });
  if (!ok) return undefined;
  const tarball = join(scratch, JSON.parse(stdout)[0].filename);
  const project = join(scratch, 'project');
  mkdirSync(project);
  // The tarball is installed for real; its dependencies are linked from this checkout (no network).
  const link = (name: string) => `file:${join(REPO, 'node_modules', name)}`;
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'scratch', private: true, type: 'module', dependencies: { fetchpipe: `file:${tarball}`, zod: link('zod') } }, null, 2),
  );
  if (!run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'], project).ok) return undefined;
  // The optional peers, for the entries that need them: linked, as a user would have installed them.
  for (const peer of PEERS) {
    // A scoped peer (@opentelemetry/api) needs its scope folder first.
    mkdirSync(dirname(join(project, 'node_modules', peer)), { recursive: true });
    symlinkSync(join(REPO, 'node_modules', peer), join(project, 'node_modules', peer), 'dir');
  }
  console.log(`installed ${tarball} into ${project}`);
  return project;
}

/** Compiler options both scratch configurations share: strict, and the shipped .d.ts files checked too. */
const STRICT = {
  target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, resolveJsonModule: true,
  allowImportingTsExtensions: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true,
  // The shipped .d.ts files are checked too, not skipped: they are what users compile against.
  skipLibCheck: false,
};
/** Every declaration entry, compiled whole (not only what main.ts happens to use). */
const DECLARATIONS = Object.values(ENTRIES).map(({ file }) => `node_modules/fetchpipe/dist/${file}.d.ts`);

function checkNode(project: string): void {
  step('Node: type-check and import the installed package');
  writeFileSync(join(project, 'main.ts'), NODE_MAIN.replace('/*node*/', ON_NODE));
  // A Node-only program: Node's own types, no DOM lib (fetch's types come from @types/node).
  // fetchpipe/testing/msw is left out of it: msw's own declarations need the DOM lib.
  writeFileSync(
    join(project, 'node-only.ts'),
    NODE_MAIN.replace('/*node*/', ON_NODE)
      .replace(/^import \{ sequenceHandler \} from 'fetchpipe\/testing\/msw';$/m, '')
      .replace(/^const handler = .*$/m, 'const handler = { run: () => undefined };'),
  );
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { ...STRICT, lib: ['ES2023'], types: ['node'], typeRoots: [join(REPO, 'node_modules', '@types')] },
      files: ['node-only.ts', ...DECLARATIONS.filter((file) => !file.endsWith('/testing/msw.d.ts'))],
    }),
  );
  if (run(join(BIN, 'tsc'), ['-p', 'tsconfig.json'], project).ok) console.log('tsc, Node-only (lib ES2023 + @types/node, no DOM), skipLibCheck false: ok');
  // A browser-only program: the DOM lib, no Node types at all (fetchpipe/node needs Node's, so it is left out).
  writeFileSync(join(project, 'browser.ts'), NODE_MAIN.replace('/*node*/', ON_DENO).replace(/^import pkg .*$/m, "const pkg = { name: 'fetchpipe' };").replace(/\(globalThis as .*$/m, ''));
  writeFileSync(
    join(project, 'tsconfig.dom.json'),
    JSON.stringify({
      compilerOptions: { ...STRICT, lib: ['ES2023', 'DOM', 'DOM.Iterable'], types: [] },
      files: ['browser.ts', ...DECLARATIONS.filter((file) => !file.endsWith('/node.d.ts'))],
    }),
  );
  if (run(join(BIN, 'tsc'), ['-p', 'tsconfig.dom.json'], project).ok) console.log('tsc, DOM-only (lib ES2023 + DOM, no @types/node), skipLibCheck false: ok');
  const result = spawnSync(process.execPath, ['main.ts'], { cwd: project, encoding: 'utf8', timeout: 60_000 });
  expectMain('node', result.status, result.stdout, result.stderr);
  // Each command of `bin`, as npm linked it into node_modules/.bin.
  const pkg = JSON.parse(readFileSync(join(project, 'node_modules', 'fetchpipe', 'package.json'), 'utf8'));
  for (const command of Object.keys(pkg.bin ?? {})) {
    const cli = spawnSync(join(project, 'node_modules', '.bin', command), ['explain', 'caveclient'], { cwd: project, encoding: 'utf8', timeout: 60_000 });
    if (cli.status === 0 && cli.stdout.includes('retry')) console.log(`${command} explain caveclient: ok`);
    else fail(`the installed ${command} command failed (exit ${cli.status})\n${cli.stdout}${cli.stderr}`);
    const version = spawnSync(join(project, 'node_modules', '.bin', command), ['--version'], { cwd: project, encoding: 'utf8', timeout: 60_000 });
    if (version.stdout.trim() !== pkg.version) fail(`${command} --version printed ${JSON.stringify(version.stdout.trim())}, not ${pkg.version}`);
  }
}

/**
 * An app that bundles zod 4 itself shares it with fetchpipe: npm installs one zod, and the app's
 * bundle holds one copy of it, even with the app's own schemas composed around fetchpipe's.
 */
async function checkZodShared(project: string): Promise<void> {
  step('zod: one copy in an app that uses zod 4 itself');
  if (existsSync(join(project, 'node_modules', 'fetchpipe', 'node_modules', 'zod'))) fail('npm installed a second zod under node_modules/fetchpipe');
  writeFileSync(
    join(project, 'app.js'),
    `import { z } from 'zod';
import { optionSchemas } from 'fetchpipe/schemas';
import { createClient, retry } from 'fetchpipe';
const config = z.object({ retry: optionSchemas.retry, name: z.string() }).parse({ retry: { total: 2 }, name: 'app' });
createClient([retry(config.retry)]);
console.log(JSON.stringify(config));
`,
  );
  const { build } = await import('esbuild');
  const result = await build({ entryPoints: [join(project, 'app.js')], bundle: true, format: 'esm', platform: 'node', write: false, metafile: true, logLevel: 'silent' });
  const zodFiles = Object.keys(result.metafile.inputs).filter((input) => /(^|\/)zod\//.test(input));
  const roots = new Set(zodFiles.map((input) => input.slice(0, input.lastIndexOf('zod/') + 3)));
  const copies = new Map<string, number>();
  for (const input of zodFiles) {
    const inner = input.slice(input.lastIndexOf('zod/'));
    copies.set(inner, (copies.get(inner) ?? 0) + 1);
  }
  const twice = [...copies].filter(([, n]) => n > 1).map(([file]) => file);
  if (roots.size !== 1 || twice.length > 0) fail(`the app's bundle holds zod from ${[...roots].join(', ')}${twice.length ? ` (twice: ${twice.join(', ')})` : ''}`);
  else console.log(`one zod in the bundle: ${zodFiles.length} files from ${[...roots][0]}`);
  writeFileSync(join(project, 'app.bundle.mjs'), result.outputFiles[0]!.text);
  const ran = spawnSync(process.execPath, ['app.bundle.mjs'], { cwd: project, encoding: 'utf8', timeout: 60_000 });
  if (ran.stdout.trim() !== '{"retry":{"total":2},"name":"app"}') fail(`the bundled app failed (exit ${ran.status})\n${ran.stdout}${ran.stderr}`);
}

/**
 * npm pack from a fresh clone, with no build before it: prepack must build, and the tarball must
 * hold the built files. The clone is of the committed tree; node_modules is linked, not installed.
 */
function checkFreshClonePack(scratch: string): void {
  step('npm pack in a fresh clone, no build before it');
  const clone = join(scratch, 'clone');
  if (!run('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone], scratch, { quiet: true }).ok) return;
  symlinkSync(join(REPO, 'node_modules'), join(clone, 'node_modules'), 'dir');
  if (existsSync(join(clone, 'dist'))) fail('the fresh clone already has dist/: it must not be committed');
  const packed = run('npm', ['pack', '--dry-run', '--json'], clone, { quiet: true });
  if (!packed.ok) return;
  const json = packed.stdout.slice(packed.stdout.indexOf('[\n'));
  const files: string[] = JSON.parse(json)[0].files.map((file: { path: string }) => file.path);
  const missing = REQUIRED_FILES.filter((file) => !files.includes(file));
  if (missing.length > 0) fail(`npm pack in a fresh clone would not ship ${missing.join(', ')}`);
  else console.log(`a fresh clone packs ${files.length} files, dist/ built by prepack`);
}

function expectMain(runtime: string, status: number | null, stdout: string, stderr: string): void {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  console.log(`${runtime}: ${line}`);
  try {
    const seen = JSON.parse(line);
    const ok = seen.name === 'fetchpipe' && seen.status === 200 && seen.calls === 3 && seen.waits.join() === '0,200'
      && seen.presets.every((n: number) => n > 0) && seen.handler === 'function' && seen.maxRetry === true && seen.node === true
      && seen.schemas.join() === '2,false';
    if (status === 0 && ok) return;
  } catch {
    // Reported below with the process output.
  }
  fail(`${runtime}: importing the installed package failed (exit ${status})\n${stdout}${stderr}`);
}

function checkDenoInstalled(project: string): void {
  step('Deno: type-check and import the installed package through node_modules');
  const deno = join(BIN, 'deno');
  writeFileSync(join(project, 'deno-main.ts'), NODE_MAIN.replace('/*node*/', ON_DENO));
  writeFileSync(join(project, 'deno.json'), JSON.stringify({ nodeModulesDir: 'manual' }));
  const result = spawnSync(deno, ['run', '--check', '--quiet', '-A', 'deno-main.ts'], { cwd: project, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
  expectMain('deno', result.status, result.stdout, result.stderr);
}

function checkDenoSource(scratch: string): void {
  step('Deno: import the sources by name through deno.json');
  const deno = join(BIN, 'deno');
  const config = JSON.parse(readFileSync(join(ROOT, 'deno.json'), 'utf8'));
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  if (config.version !== pkg.version) fail(`deno.json: version ${config.version} differs from package.json's ${pkg.version}`);
  for (const subpath of Object.keys(ENTRIES)) if (typeof config.exports?.[subpath] !== 'string') fail(`deno.json: exports has no "${subpath}"`);
  // A workspace whose member is a copy of this package, and an app that imports it by its name.
  const workspace = join(scratch, 'deno-workspace');
  mkdirSync(join(workspace, 'app'), { recursive: true });
  cpSync(join(ROOT, 'src'), join(workspace, 'pkg', 'src'), { recursive: true });
  cpSync(join(ROOT, 'deno.json'), join(workspace, 'pkg', 'deno.json'));
  symlinkSync(join(REPO, 'node_modules'), join(workspace, 'node_modules'), 'dir');
  writeFileSync(join(workspace, 'deno.json'), JSON.stringify({ workspace: ['./pkg', './app'], nodeModulesDir: 'manual' }));
  writeFileSync(join(workspace, 'app', 'deno.json'), JSON.stringify({ name: '@scratch/app', version: '0.0.0', exports: './main.ts' }));
  const name: string = config.name;
  const main = NODE_MAIN.replace('/*node*/', ON_DENO).replaceAll("'fetchpipe", `'${name}`).replace(`import pkg from '${name}/package.json' with { type: 'json' };`, `const pkg = { name: 'fetchpipe' };`);
  writeFileSync(join(workspace, 'app', 'main.ts'), main);
  const result = spawnSync(deno, ['run', '--check', '--quiet', '-A', 'main.ts'], { cwd: join(workspace, 'app'), encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
  expectMain('deno (deno.json)', result.status, result.stdout, result.stderr);
  // JSR is out of reach; a dry run still validates name, version, exports and the file list,
  // and that every exported symbol has an explicit type (no "slow types").
  const dry = run(deno, ['publish', '--dry-run', '--allow-dirty', '--quiet'], ROOT, { quiet: true });
  if (dry.ok) console.log('deno publish --dry-run: ok, no slow types');
}

/** Bun runs the same program against the installed package (Bun strips types without checking them; tsc did above). */
function checkBunInstalled(project: string): void {
  step('Bun: import the installed package');
  writeFileSync(join(project, 'bun-main.ts'), NODE_MAIN.replace('/*node*/', ON_DENO));
  const result = spawnSync(join(BIN, 'bun'), ['bun-main.ts'], { cwd: project, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
  expectMain('bun', result.status, result.stdout, result.stderr);
}

async function main(): Promise<void> {
  console.log(`checking the package in ${ROOT}`);
  step('build');
  if (!run('npm', ['run', 'build', '--silent'], ROOT, { quiet: true }).ok) return report();
  const missing = [...Object.values(ENTRIES).map(({ file }) => file), ...BUILT_ONLY].filter((name) => !existsSync(join(ROOT, 'dist', `${name}.js`)));
  if (missing.length > 0) fail(`the build made no dist/${missing.join('.js, dist/')}.js`);
  console.log(readdirSync(join(ROOT, 'dist')).sort().join(' '));

  checkManifest();
  checkImportGraph();
  checkDeclarations();
  step('publint --strict');
  run(join(BIN, 'publint'), ['run', '--strict'], ROOT);
  step('attw --pack . --profile esm-only');
  run(join(BIN, 'attw'), ['--pack', '.', '--profile', 'esm-only', '--format', 'table-flipped', '--no-emoji', '--no-color'], ROOT);
  checkFileList();

  const scratch = mkdtempSync(join(tmpdir(), 'fetchpipe-package-'));
  try {
    const project = installTarball(scratch);
    if (project) {
      checkNode(project);
      await checkZodShared(project);
      checkDenoInstalled(project);
      checkBunInstalled(project);
    }
    checkDenoSource(scratch);
    checkFreshClonePack(scratch);
  } finally {
    if (KEEP) console.log(`scratch folder kept: ${scratch}`);
    else rmSync(scratch, { recursive: true, force: true });
  }
  report();
}

function report(): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (failures.length === 0) {
    console.log(`\npackage check passed in ${seconds} s`);
    return;
  }
  console.log(`\npackage check FAILED in ${seconds} s:\n- ${failures.join('\n- ')}`);
  process.exitCode = 1;
}

await main();
