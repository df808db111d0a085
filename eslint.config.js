// ESLint (npm run lint): typescript-eslint's recommended rules on every TypeScript and JavaScript
// file, and on the server's code the type-aware checks for promises that are dropped or handed to
// something that does not wait for them (an unhandled rejection there ends the process).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { defineConfig } from 'eslint/config';

export default defineConfig(
  { ignores: ['dist/', 'bench/results/', 'node_modules/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore marks a parameter a signature needs but the body does not use (`_req`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read response bodies of any shape; their assertions are the type check.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Migrations run against the schema of their time, not the current one: Kysely<any>, as Kysely advises.
    files: ['src/store/migrate.ts', 'src/store/migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // These match control characters on purpose: the input rules refuse them (docs/input-limits.md).
    files: ['src/domain/text.ts', 'src/domain/slug.ts'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // Plain JavaScript (scripts, bench, bin) has no type checker behind it to know Node's globals
    // (process, console, URL, ...); TypeScript files get that check from tsc.
    files: ['**/*.{js,mjs,cjs}'],
    rules: { 'no-undef': 'off' },
  },
);
