// Lint: keeps the domain and use cases free of infrastructure imports, and each layer of lib/
// to the imports the layout in DESIGN.md allows it.
import tseslint from 'typescript-eslint';

// `import { z } from 'zod'` makes esbuild bundle every zod locale (about 350 KB per function).
const zodNamespace = {
  selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
  message: "Write `import * as z from 'zod'`: the named import bundles all of zod's locales.",
};

const infrastructure = [
  { group: ['@aws-sdk/*', '@smithy/*'], message: 'The domain and use cases reach AWS only through ports (lib/ports).' },
  { group: ['nodemailer', 'nodemailer/*'], message: 'Compose and relay mail in lib/adapters, behind the MailRelay port.' },
  { group: ['@middy/*'], message: 'middy belongs in lambdas/.' },
  { group: ['aws-lambda', '@types/aws-lambda'], message: 'Lambda event shapes belong in lambdas/ and lib/local/.' },
  {
    group: ['@aws-lambda-powertools/*'],
    message: 'Use cases log and record metrics through ports (lib/ports/logger.ts, lib/ports/metrics.ts); Powertools is behind adapters.',
  },
];

// The layers of lib/, innermost first: domain, ports, use cases, handlers (with lib/http and
// lib/smtp), wiring. Adapters implement ports; the wiring and lib/local put everything together.
const layer = (group, message) => ({ group, message });
const ports = layer(['**/ports/**'], 'The domain is the innermost layer: ports are built on it, not the other way round.');
const useCases = layer(
  ['**/use-cases/**'],
  'Use cases are called by handlers; types that a lower layer shares go in lib/ports or lib/domain.',
);
const handlers = layer(['**/handlers/**'], 'Handlers call use cases; no layer below them imports one.');
// Not for adapters: `../http/` there is the sibling folder of HTTP adapters.
const http = layer(['**/http/**', '**/smtp/**'], 'lib/http and lib/smtp map requests to use cases; no layer below them imports them.');
const adapters = layer(['**/adapters/**'], 'Adapters are chosen by the wiring (lib/wiring) and lib/local; other layers see them as ports.');
const wiring = layer(
  ['**/wiring/**', '**/wiring.ts'],
  'The wiring puts the layers together; the entry points (lambdas/, bin/) and lib/local import it.',
);
const local = layer(['**/local/**'], 'lib/local is the embedded runtime: it imports lib, never the other way round.');
const lambdas = layer(['**/lambdas/**'], 'lambdas/ holds the entry points; nothing imports them.');

/** The rule forbidding imports that match any of `patterns`. */
const restrict = (...patterns) => ({ '@typescript-eslint/no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'cdk.out*/**',
      '.tmp/**',
      '.data/**',
      'bench/results/**',
      'clients/node/dist/**',
      'console/dist/**',
      'console/dist.*/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['lib/**/*.ts', 'lambdas/**/*.ts', 'bin/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', zodNamespace] },
  },
  { files: ['lib/domain/**/*.ts'], rules: restrict(...infrastructure, ports, useCases, handlers, http, adapters, wiring, local, lambdas) },
  { files: ['lib/ports/**/*.ts'], rules: restrict(...infrastructure, useCases, handlers, http, adapters, wiring, local, lambdas) },
  { files: ['lib/use-cases/**/*.ts'], rules: restrict(...infrastructure, handlers, http, adapters, wiring, local, lambdas) },
  { files: ['lib/adapters/**/*.ts'], rules: restrict(useCases, handlers, wiring, local, lambdas) },
  { files: ['lib/http/**/*.ts'], rules: restrict(useCases, adapters, wiring, local, lambdas) },
  // The client is a package of its own: it knows the API from its OpenAPI document (schema.ts), not from lib/.
  {
    files: ['clients/node/src/**/*.ts'],
    rules: restrict(layer(['../../**'], 'The client talks to the API over HTTP; its types come from the OpenAPI document, not lib/.')),
  },
);
