import { defineConfig } from 'vitest/config';

/**
 * Two tiers. `unit` (npm test): kernels, gradients, parsers, layers, the import graph: seconds.
 * `e2e` (npm run test:e2e): training runs, studies, the server in a browser, the packed package,
 * the device kit. CI (`.ci/run`) runs both. A new test file is a unit test unless listed here.
 */
const e2e = [
  'tests/api.test.ts',
  'tests/mnistify.test.ts',
  'tests/own-digits.test.ts',
  'tests/backends.test.ts',
  'tests/board.test.ts',
  'tests/cli.test.ts',
  'tests/colour.test.ts',
  'tests/determinism.test.ts',
  'tests/device-kit.test.ts',
  'tests/fast-cli.test.ts',
  'tests/fault-injection.test.ts',
  'tests/learns.test.ts',
  'tests/package.test.ts',
  'tests/run-dir.test.ts',
  'tests/serve-hardening.test.ts',
  'tests/serve-in-page.test.ts',
  'tests/serve.test.ts',
  'tests/serve-speech.test.ts',
  'tests/spoken-digits.test.ts',
  'tests/studies.test.ts',
  'tests/study.test.ts',
  'tests/tune-queue.test.ts',
  'tests/tune-space.test.ts',
  'tests/webgpu-tiles.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/**/*.test.ts'], exclude: e2e } },
      { extends: true, test: { name: 'e2e', include: e2e } },
    ],
  },
});
