// The architecture's import rules, checked on every `npm run lint` (each project's `lint` target
// runs `tsc` and then ESLint over its own folder with this one config).
//
// - Between projects, Nx's module-boundary rule over the tags in each package.json: a lib
//   (`scope:lib`) imports only libs, so never a service and never the tests; a base lib
//   (`type:base`: crypto, platform, proto, each with one job) imports no other project, so crypto
//   stays free of config, storage and logging; a service (`scope:service`) imports libs and never
//   another service; the client (`type:client`) never imports service code; the whole-network
//   tests (`scope:test`) may import anything. Projects import each other by package name only.
// - Inside a service: the transports (`src/http/`, `src/grpc/`, and the HTTP controllers and route
//   tables beside their feature, `*.controller.ts`, `*.routes.ts`) do not import each other, and
//   domain code (the rest of `src/`, except `main.ts`, `*.module.ts` and the composition root)
//   imports neither, so that one handler can serve every transport.
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';
import { createProjectGraphAsync, readCachedProjectGraph } from '@nx/devkit';

// The module-boundary rule reads Nx's cached project graph and quietly skips itself when there is
// none (a fresh clone running ESLint before any `nx` command): compute the graph then.
try {
  readCachedProjectGraph();
} catch {
  await createProjectGraphAsync({ exitOnError: false });
}

// The file that builds a service's object graph: it wires transports to domain code, so it may
// import both. (Nest's `*.module.ts` and `main.ts` have the same licence.)
const COMPOSITION_ROOTS = [
  'services/entry-relay/src/relay.ts',
  'services/file-server/src/file-server.ts',
  'services/open-groups/src/server.ts',
  'services/registry/src/registry.ts',
  'services/swarm-store/src/swarm-store.ts',
];


const SERVICE_SRC = 'services/*/src/**/*.ts';
// A /batch subrequest is an HTTP request carried inside another: the batch folder is HTTP-side too.
const HTTP_SIDE = ['services/*/src/http/**/*.ts', 'services/*/src/batch/**/*.ts', 'services/*/src/**/*.controller.ts', 'services/*/src/**/*.routes.ts'];
const GRPC_SIDE = ['services/*/src/grpc/**/*.ts'];

// Imports are relative inside a service, so the rule looks at the path's folder names.
const relativeInto = (folders) => `^\\.{1,2}/(.*/)?(${folders.join('|')})(/|$)`;
const forbidImportsOf = (folders, message) => [
  'error',
  { patterns: [{ regex: relativeInto(folders), message }] },
];

export default defineConfig(
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '.nx/**', '.data/**', 'libs/proto/src/gen/**'],
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      // `_`-prefixed names are the project's way to say "deliberately unused" (tsc's
      // noUnusedLocals/noUnusedParameters already reject the rest).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Matching control characters is deliberate wherever this code does it (names, filenames,
      // terminal output), which is the one case the rule cannot tell from a typo.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: {
      // Tests read JSON replies as they arrive and let the assertions check their shape.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          enforceBuildableLibDependency: false,
          depConstraints: [
            { sourceTag: 'scope:lib', onlyDependOnLibsWithTags: ['scope:lib'] },
            { sourceTag: 'type:base', notDependOnLibsWithTags: ['scope:lib', 'scope:service', 'scope:test'] },
            { sourceTag: 'scope:service', onlyDependOnLibsWithTags: ['scope:lib'] },
            { sourceTag: 'type:client', notDependOnLibsWithTags: ['scope:service'] },
            { sourceTag: 'scope:test', onlyDependOnLibsWithTags: ['scope:lib', 'scope:service', 'scope:test'] },
          ],
        },
      ],
    },
  },
  {
    files: [SERVICE_SRC],
    ignores: [
      ...HTTP_SIDE,
      ...GRPC_SIDE,
      'services/*/src/main.ts',
      'services/*/src/**/*.module.ts',
      ...COMPOSITION_ROOTS,
    ],
    rules: {
      'no-restricted-imports': forbidImportsOf(
        ['http', 'grpc'],
        'Domain code does not import a transport: raise a domain error or return data, and let http/ or grpc/ translate it.',
      ),
    },
  },
  {
    files: HTTP_SIDE,
    rules: {
      'no-restricted-imports': forbidImportsOf(['grpc'], 'The HTTP transport does not import the gRPC transport: share through domain code.'),
    },
  },
  {
    files: GRPC_SIDE,
    rules: {
      'no-restricted-imports': forbidImportsOf(['http'], 'The gRPC transport does not import the HTTP transport: share through domain code.'),
    },
  },
);
