// Lint: keeps the domain and use cases free of infrastructure imports.
import tseslint from 'typescript-eslint';

// `import { z } from 'zod'` makes esbuild bundle every zod locale (about 350 KB per function).
const zodNamespace = {
  selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
  message: "Write `import * as z from 'zod'`: the named import bundles all of zod's locales.",
};

const infrastructure = {
  patterns: [
    { group: ['@aws-sdk/*', '@smithy/*'], message: 'The domain and use cases reach AWS only through ports (lib/ports).' },
    { group: ['nodemailer', 'nodemailer/*'], message: 'Compose and relay mail in lib/adapters, behind the MailRelay port.' },
    { group: ['@middy/*'], message: 'middy belongs in lambdas/.' },
    { group: ['aws-lambda', '@types/aws-lambda'], message: 'Lambda event shapes belong in lambdas/ and lib/local/.' },
    { group: ['**/adapters/**', '**/local/**', '**/lambdas/**'], message: 'Use cases receive adapters as ports; they never import them.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out*/**', '.tmp/**', '.data/**', 'bench/results/**'] },
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
  {
    files: ['lib/domain/**/*.ts', 'lib/use-cases/**/*.ts', 'lib/ports/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', infrastructure] },
  },
);
