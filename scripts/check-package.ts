// The packaging check that `npm test` calls (through test/package.test.ts): build, lint the
// package, check its file list, install the packed tarball in a scratch project and import
// every entry point from Node (type-checked) and Deno, and import the sources through deno.json.
//
//   npx node scripts/check-package.ts [--root DIR] [--keep]
//
// --root checks another checkout (default: this one); --keep leaves the scratch folder.
// Nothing here needs the network: dependencies of the scratch project are linked from
// this checkout's node_modules, and `npm install` runs with --offline.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const ROOT = resolve(argv.includes('--root') ? argv[argv.indexOf('--root') + 1]! : REPO);
const KEEP = argv.includes('--keep');
const BIN = join(REPO, 'node_modules', '.bin');

/** The public entry points: subpath → file name in dist/ (without extension). */
const ENTRIES: Readonly<Record<string, string>> = {
  '.': 'index',
  './kit': 'kit',
  './presets': 'presets',
  './testing': 'testing',
  './testing/msw': 'testing-msw',
  './node': 'node',
  './otel': 'otel',
};
/** Built files that are not exports: the CLI that bin/fetchpipe.js runs. */
const BUILT_ONLY = ['cli'];
/** What may import what: only these entries may reach an optional peer dependency. */
const PEER_OF: Readonly<Record<string, string>> = { 'testing-msw': 'msw', node: 'undici', otel: '@opentelemetry/api' };
const PEERS = ['msw', 'undici', '@opentelemetry/api'];

/** Every file `npm pack` may ship; anything else fails the check. */
const ALLOWED_FILES = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^dist\/(browser\/)?[\w-]+\.js$/, /^dist\/[\w-]+\.d\.ts$/, /^bin\/[\w-]+\.js$/];
/** Entries without a browser build (the `browser` export condition): Node's own, and otel, which loads neither browser twin. */
const SERVER_ONLY = ['node', 'otel'];
const REQUIRED_FILES = [
  'package.json',
  ...Object.values(ENTRIES).flatMap((name) => [`dist/${name}.js`, `dist/${name}.d.ts`]),
  ...Object.values(ENTRIES).filter((name) => !SERVER_ONLY.includes(name)).map((name) => `dist/browser/${name}.js`),
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
  const expected = [...Object.keys(ENTRIES), './package.json'];
  for (const key of Object.keys(exportsMap)) if (!expected.includes(key)) fail(`package.json: exports has an unexpected "${key}"`);
  for (const [subpath, name] of Object.entries(ENTRIES)) {
    const entry = exportsMap[subpath];
    if (entry?.types !== `./dist/${name}.d.ts` || entry?.default !== `./dist/${name}.js`) {
      fail(`package.json: exports["${subpath}"] must be { "types": "./dist/${name}.d.ts", "default": "./dist/${name}.js" }`);
    }
  }
  if (exportsMap['./package.json'] !== './package.json') fail('package.json: exports["./package.json"] must be "./package.json"');
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
  for (const name of [...Object.values(ENTRIES), ...BUILT_ONLY]) {
    const seen = new Set<string>();
    const bare = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file) || !existsSync(join(dist, file))) return;
      seen.add(file);
      for (const specifier of importsOf(file)) {
        if (specifier.startsWith('./')) visit(specifier.slice(2));
        else bare.add(specifier);
      }
    };
    visit(`${name}.js`);
    const allowed = new Set(['zod/mini', ...(PEER_OF[name] ? [PEER_OF[name]] : [])]);
    const extra = [...bare].filter((specifier) => !allowed.has(specifier));
    if (extra.length > 0) fail(`dist/${name}.js reaches ${extra.join(', ')}: only ${[...allowed].join(', ')} may be imported`);
    else console.log(`dist/${name}.js imports ${[...bare].join(', ') || 'nothing'} (${seen.size} files)`);
  }
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
import pkg from 'fetchpipe/package.json' with { type: 'json' };

const clock = recordingClock();
const backend: Sequence = sequence([503, 503, 200]);
const client: FetchFunction = createClient([retry({ total: 3, statusForcelist: [503] }), backoff({ factor: 100, clock })], { fetch: backend });
const response = await client('https://api.example.test/items');
const presets = [caveclient(), qbraid({ baseUrl: 'https://api.example.test/' })].map((list) => list.length);
const handler = sequenceHandler('https://api.example.test/*', [200]).handler;
const error = await createClient([retry({ total: 0 })], { fetch: sequence(['connection-refused']) })('https://api.example.test/').catch((e: unknown) => e);
/*node*/
console.log(JSON.stringify({ name: pkg.name, status: response.status, calls: backend.calls, waits: clock.waits, presets, handler: typeof handler.run, maxRetry: isMaxRetryError(error), node: Object.keys(node).length > 0 }));
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

function checkNode(project: string): void {
  step('Node: type-check and import the installed package');
  writeFileSync(join(project, 'main.ts'), NODE_MAIN.replace('/*node*/', ON_NODE));
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022', lib: ['ES2023', 'DOM', 'DOM.Iterable'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true,
        noEmit: true, resolveJsonModule: true, allowImportingTsExtensions: true, types: ['node'], typeRoots: [join(REPO, 'node_modules', '@types')],
        // The shipped .d.ts files are checked too, not skipped: they are what users compile against.
        skipLibCheck: false,
      },
      files: ['main.ts', 'node_modules/fetchpipe/dist/index.d.ts', 'node_modules/fetchpipe/dist/presets.d.ts', 'node_modules/fetchpipe/dist/testing.d.ts'],
    }),
  );
  run(join(BIN, 'tsc'), ['-p', 'tsconfig.json'], project);
  const result = spawnSync(process.execPath, ['main.ts'], { cwd: project, encoding: 'utf8', timeout: 60_000 });
  expectMain('node', result.status, result.stdout, result.stderr);
  // Each command of `bin`, as npm linked it into node_modules/.bin.
  const pkg = JSON.parse(readFileSync(join(project, 'node_modules', 'fetchpipe', 'package.json'), 'utf8'));
  for (const command of Object.keys(pkg.bin ?? {})) {
    const cli = spawnSync(join(project, 'node_modules', '.bin', command), ['explain', 'caveclient'], { cwd: project, encoding: 'utf8', timeout: 60_000 });
    if (cli.status === 0 && cli.stdout.includes('retry')) console.log(`${command} explain caveclient: ok`);
    else fail(`the installed ${command} command failed (exit ${cli.status})\n${cli.stdout}${cli.stderr}`);
  }
}

function expectMain(runtime: string, status: number | null, stdout: string, stderr: string): void {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  console.log(`${runtime}: ${line}`);
  try {
    const seen = JSON.parse(line);
    const ok = seen.name === 'fetchpipe' && seen.status === 200 && seen.calls === 3 && seen.waits.join() === '0,200'
      && seen.presets.every((n: number) => n > 0) && seen.handler === 'function' && seen.maxRetry === true && seen.node === true;
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

function main(): void {
  console.log(`checking the package in ${ROOT}`);
  step('build');
  if (!run('npm', ['run', 'build', '--silent'], ROOT, { quiet: true }).ok) return report();
  const missing = [...Object.values(ENTRIES), ...BUILT_ONLY].filter((name) => !existsSync(join(ROOT, 'dist', `${name}.js`)));
  if (missing.length > 0) fail(`the build made no dist/${missing.join('.js, dist/')}.js`);
  console.log(readdirSync(join(ROOT, 'dist')).sort().join(' '));

  checkManifest();
  checkImportGraph();
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
      checkDenoInstalled(project);
    }
    checkDenoSource(scratch);
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

main();
