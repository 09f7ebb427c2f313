// Lint: typescript-eslint's type-checked rules plus the house layering rules of CONVENTIONS.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const layer = (name) => ({
  group: [`**/${name}/*`, `**/${name}`],
  message: `this layer may not import ${name}/`,
});
const nodeIo = [
  'fs',
  'net',
  'http',
  'https',
  'child_process',
  'worker_threads',
  'os',
  'dgram',
  'cluster',
].flatMap((m) => [m, `node:${m}`, `${m}/*`, `node:${m}/*`]);
// Node 20's V8 builds `{ ...a, b }` (a spread first, then anything) through a slow path: 0.6-5 µs
// per object and a new hidden class each time, which made routing ~100x slower than it should be.
// See docs/decisions/008-no-leading-spread.md.
const leadingSpread = {
  selector: 'ObjectExpression > SpreadElement:first-child ~ *',
  message:
    'an object literal that starts with a spread is slow on Node 20: list the properties, start with a plain property, or use Object.assign({}, a, { b }) (docs/decisions/008-no-leading-spread.md)',
};

// A spread anywhere else but last (`{ a, ...(x ? {} : { b }), c }`) takes the same path: 0.1-0.2 µs
// per object against ~0.02 µs written out (a contact row read with nine of them cost 2.5 µs). Where the
// engine runs per event (core/, engine/, store/, the inbound adapters), build the object property by
// property instead:
// `const o: Building<T> = { a }; if (x) o.b = x; o.c = c; return o as T;` (src/core/building.ts).
const midSpread = {
  selector: 'ObjectExpression > SpreadElement:not(:first-child):not(:last-child)',
  message:
    'a spread before the last property of an object literal is slow on Node 20: build the object property by property (src/core/building.ts, docs/decisions/008-no-leading-spread.md)',
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'coverage/**', 'bench/results/**', 'bench/scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: { allowDefaultProject: ['bin/*.js', 'eslint.config.js'] } },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', leadingSpread] },
  },
  {
    files: ['src/engine/**/*.ts', 'src/store/**/*.ts', 'src/server/adapters/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', leadingSpread, midSpread] },
  },
  {
    // core/ is pure: no IO, no other layers, no wall clock, no randomness, no `any`.
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeIo.map((name) => ({ name, message: 'core/ performs no IO' })),
          patterns: [
            ...['store', 'server', 'cli', 'engine', 'jobs', 'web', 'config'].map(layer),
            { group: ['kysely', 'pg', 'better-sqlite3', 'fastify'], message: 'core/ knows no drivers' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'core/ takes `now` as an argument' },
        { object: 'Math', property: 'random', message: 'core/ is deterministic: take a seed or an input' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'core/ reads no environment' },
        { name: 'console', message: 'core/ returns explanations instead of logging' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'NewExpression[callee.name="Date"][arguments.length=0]',
          message: 'core/ takes `now` as an argument',
        },
        leadingSpread,
        midSpread,
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
    },
  },
  {
    // Test builders merge overrides into defaults (`{ id, ...extra, to }`): not a hot path.
    files: ['src/core/**/__fixtures__/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'NewExpression[callee.name="Date"][arguments.length=0]',
          message: 'core/ takes `now` as an argument',
        },
        leadingSpread,
      ],
    },
  },
  {
    // config/ builds on core/ only.
    files: ['src/config/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['store', 'server', 'cli', 'engine', 'jobs', 'web'].map(layer) },
      ],
    },
  },
  {
    // Only compose.ts picks a store; the engine sees ports.
    files: [
      'src/engine/**/*.ts',
      'src/server/**/*.ts',
      'src/cli/**/*.ts',
      'src/jobs/**/*.ts',
      'src/web/**/*.ts',
    ],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [layer('store')] }],
    },
  },
  {
    files: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
