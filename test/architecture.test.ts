import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The import rules of the layers, read from the imports themselves. A layer is a folder (or a single file) of the
 * repository; `may` lists the layers its files may import, itself included when it may. Packages and `node:` modules
 * are not Lethe's and are not checked.
 */
const LAYERS: { name: string; files: RegExp; may: string[]; also?: string[] }[] = [
  // Plain types and pure rules (records, ids, errors, the identifier and metric rules): everything may import them.
  { name: 'model', files: /^src\/model\//, may: ['model'] },
  // The two filter languages (Watson logs, Coveo read): parsers and ASTs over the model's values.
  { name: 'filter', files: /^src\/filter\//, may: ['model', 'filter'] },
  // The store contract and its engines: persistence of the model's records, filters compiled to SQL. Never the domain.
  { name: 'store', files: /^src\/store\//, may: ['model', 'filter', 'store'] },
  // The domain: what Lethe does, over the store's interfaces.
  { name: 'core', files: /^src\/core\//, may: ['model', 'filter', 'store', 'core', 'logger'] },
  // Wire views: how records are shown on every surface (the `*Json` functions), for HTTP and the CLI alike.
  { name: 'views', files: /^src\/views\//, may: ['model', 'views'] },
  // Routes per API family: they validate, call the domain and answer with views; a route never reaches the store.
  { name: 'http', files: /^src\/http\//, may: ['model', 'filter', 'core', 'views', 'http', 'config'] },
  // The `lethe` command: opens a store, wires the domain, prints views; of HTTP only the server, for `serve`.
  { name: 'cli', files: /^src\/cli\//, may: ['model', 'core', 'views', 'store', 'cli', 'config', 'logger'], also: ['src/http/server.ts'] },
  // Start-up configuration: the environment read once into the settings the store and the domain declare.
  { name: 'config', files: /^src\/config(\.test)?\.ts$/, may: ['model', 'store', 'core', 'config'] },
  { name: 'logger', files: /^src\/logger\.ts$/, may: [] },
  // The dashboard, a program of its own bundled for the browser: it speaks to Lethe over HTTP only.
  { name: 'web', files: /^web\//, may: ['web'] },
];

/** Tests beside the code (and contract suites) may also use the shared test helpers and fixtures. */
const TEST_FILE = /\.(test|contract)\.ts$/;
const TEST_SUPPORT = /^test\/(helpers|fixtures)\//;

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

// Before a `/`, these tokens mean an expression starts there, so the `/` opens a regular expression, not a division.
const BEFORE_REGEX = new Set(['(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^',
  'return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'instanceof', 'yield', 'await']);

type Token = { kind: 'word' | 'string' | 'punct'; text: string };

/** The tokens of a TypeScript source that an import can be made of; comments, regular expressions and templates are skipped. */
function tokens(source: string): Token[] {
  const out: Token[] = [];
  // Each open `${` of a template, with the brace depth at which it opened.
  const templates: number[] = [];
  let depth = 0;
  let i = 0;
  const skipTemplate = () => {
    for (; i < source.length; i++) {
      if (source[i] === '\\') i++;
      else if (source[i] === '`') { i++; return; }
      else if (source[i] === '$' && source[i + 1] === '{') { i += 2; templates.push(depth++); return; }
    }
  };
  while (i < source.length) {
    const c = source[i]!;
    const rest = source.slice(i, i + 2);
    if (/\s/.test(c)) i++;
    else if (rest === '//') i = source.indexOf('\n', i) < 0 ? source.length : source.indexOf('\n', i);
    else if (rest === '/*') i = source.indexOf('*/', i + 2) < 0 ? source.length : source.indexOf('*/', i + 2) + 2;
    else if (c === '\'' || c === '"') {
      let j = i + 1;
      for (; j < source.length && source[j] !== c; j++) if (source[j] === '\\') j++;
      out.push({ kind: 'string', text: source.slice(i + 1, j) });
      i = j + 1;
    } else if (c === '`') { i++; skipTemplate(); }
    else if (c === '}' && templates.length && templates[templates.length - 1] === depth - 1) { templates.pop(); depth--; i++; skipTemplate(); }
    else if (c === '/' && (out.length === 0 || BEFORE_REGEX.has(out[out.length - 1]!.text))) {
      let inClass = false;
      for (i++; i < source.length && (inClass || source[i] !== '/'); i++) {
        if (source[i] === '\\') i++;
        else if (source[i] === '[') inClass = true;
        else if (source[i] === ']') inClass = false;
      }
      for (i++; /\w/.test(source[i] ?? ''); i++);
      out.push({ kind: 'punct', text: 'regex' });
    } else if (/[\w$]/.test(c)) {
      const word = /^[\w$]+/.exec(source.slice(i))![0];
      out.push({ kind: 'word', text: word });
      i += word.length;
    } else {
      if (c === '{') depth++;
      if (c === '}') depth--;
      out.push({ kind: 'punct', text: c });
      i++;
    }
  }
  return out;
}

/**
 * What a source imports: static imports and re-exports (type-only ones included: a type couples layers too),
 * side-effect imports, and `import()` of a string literal (in code or in a type).
 */
function importSpecifiers(source: string): string[] {
  const t = tokens(source);
  const found: string[] = [];
  for (let i = 0; i < t.length; i++) {
    const word = t[i]!.kind === 'word' ? t[i]!.text : undefined;
    if ((word !== 'import' && word !== 'export') || t[i - 1]?.text === '.') continue;
    if (word === 'import' && t[i + 1]?.text === '(' && t[i + 2]?.kind === 'string' && t[i + 3]?.text === ')') {
      found.push(t[i + 2]!.text);
      continue;
    }
    if (word === 'import' && t[i + 1]?.kind === 'string') {
      found.push(t[i + 1]!.text);
      continue;
    }
    // `import … from '…'`, `export { … } from '…'`, `export * from '…'`; any other export declares, and has no `from`.
    let j = i + 1;
    if (t[j]?.text === 'type') j++;
    if (word === 'export' && t[j]?.text !== '{' && t[j]?.text !== '*') continue;
    for (; j < t.length && t[j]!.text !== ';' && !(t[j]!.text === 'from' && t[j + 1]?.kind === 'string'); j++);
    if (t[j]?.text === 'from') found.push(t[j + 1]!.text);
  }
  return found;
}

/** The repository file a relative specifier names (`./x.js` is `x.ts` or `x.tsx`); undefined for packages. */
function resolve(from: string, specifier: string, exists: (path: string) => boolean): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = posix.normalize(posix.join(posix.dirname(from), specifier));
  if (!target.endsWith('.js')) return target;
  return [target.replace(/\.js$/, '.ts'), target.replace(/\.js$/, '.tsx')].find(exists) ?? target;
}

const layerOf = (file: string) => LAYERS.find((l) => l.files.test(file));

/** Every broken rule among `files` (repository path → source), as a sentence naming the file and the import. */
function violations(files: Map<string, string>): string[] {
  const problems: string[] = [];
  const edges = new Map<string, string[]>();
  for (const [file, source] of files) {
    const layer = layerOf(file);
    if (!layer) {
      problems.push(`${file} belongs to no layer: add its folder to LAYERS in test/architecture.test.ts, with what it may import`);
      continue;
    }
    const targets: string[] = [];
    for (const specifier of importSpecifiers(source)) {
      const target = resolve(file, specifier, (p) => files.has(p) || existsSync(join(ROOT, p)));
      if (target === undefined) continue;
      targets.push(target);
      if (TEST_FILE.test(file) && TEST_SUPPORT.test(target)) continue;
      const to = layerOf(target);
      if (to && (layer.may.includes(to.name) || layer.also?.includes(target))) continue;
      const allowed = [...layer.may, ...(layer.also ?? [])].join(', ') || 'nothing of Lethe';
      problems.push(`${file} imports ${target} ('${specifier}'): ${layer.name} may import ${allowed}, not ${to?.name ?? 'a file outside every layer'}`);
    }
    edges.set(file, targets);
  }
  return [...problems, ...cycles(edges).map((c) => `import cycle: ${c.join(' → ')}`)];
}

/** Each cycle of the import graph once, as the path that closes it. */
function cycles(edges: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next) && edges.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of edges.keys()) if (!state.has(file)) visit(file);
  return found;
}

function sources(...folders: string[]): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.set(path, readFileSync(join(ROOT, path), 'utf8'));
    }
  };
  for (const folder of folders) if (existsSync(join(ROOT, folder))) walk(folder);
  return files;
}

describe('the import rules', () => {
  test('every file of src and web imports only what its layer may, and no file imports itself back', () => {
    const files = sources('src', 'web');
    assert.ok(files.size > 200, `only ${files.size} files were read`);
    assert.deepEqual(violations(files), []);
  });

  test('the layers themselves never import one another back', () => {
    const byName = new Map(LAYERS.map((l) => [l.name, l]));
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
      byName.get(from)!.may.some((m) => m !== from && !seen.has(m) && (m === to || reaches(m, to, seen.add(m))));
    for (const layer of LAYERS) assert.ok(!reaches(layer.name, layer.name), `${layer.name} reaches itself through the layers it may import`);
  });

  test('a file outside its rules, a cycle, and a file of no layer are named', () => {
    const files = new Map([
      ['src/store/sqlite/ingest.ts', "import { messageFlags } from '../../core/metrics.js';\nexport const x = 1;\n"],
      ['src/core/metrics.ts', "import type { Store } from '../store/store.js';\nexport const messageFlags = 1;\n"],
      ['src/store/store.ts', "export type { X } from './sqlite/ingest.js';\nexport interface Store {}\n"],
      ['src/http/route.ts', "const store = await import('../store/store.js');\n"],
      ['src/cli/main.ts', "import { keyJson } from '../http/route.js';\nimport { serve } from '../http/server.js';\n"],
      ['src/http/server.ts', 'export const serve = 1;\n'],
      ['src/widgets/w.ts', 'export const w = 1;\n'],
    ]);
    assert.deepEqual(violations(files), [
      "src/store/sqlite/ingest.ts imports src/core/metrics.ts ('../../core/metrics.js'): store may import model, filter, store, not core",
      "src/http/route.ts imports src/store/store.ts ('../store/store.js'): http may import model, filter, core, views, http, config, not store",
      "src/cli/main.ts imports src/http/route.ts ('../http/route.js'): cli may import model, core, views, store, cli, config, logger, src/http/server.ts, not http",
      'src/widgets/w.ts belongs to no layer: add its folder to LAYERS in test/architecture.test.ts, with what it may import',
      'import cycle: src/store/sqlite/ingest.ts → src/core/metrics.ts → src/store/store.ts → src/store/sqlite/ingest.ts',
    ]);
  });

  test('imports are read from code, not from comments, strings, templates or regular expressions', () => {
    const source = [
      "import a from './a.js';",
      "import type {",
      "  B,",
      "  C,",
      "} from './b.js';",
      "import './side-effect.js';",
      "export * from './c.js';",
      "export { type D } from './d.js';",
      "export const e = 1;",
      "export function f() { return 'import x from \"./not-a.js\"'; }",
      "// import g from './comment.js';",
      "/* import h from './block.js'; */",
      "const quote = /'\\/[']/g; const i = await import('./dynamic.js');",
      "const t = `import j from './template.js' ${ { k: `${'./nested.js'}` }.k } `;",
      "let l: import('./type-position.js').L;",
      "const m = import.meta.url;",
    ].join('\n');
    assert.deepEqual(importSpecifiers(source), ['./a.js', './b.js', './side-effect.js', './c.js', './d.js', './dynamic.js', './type-position.js']);
  });
});
