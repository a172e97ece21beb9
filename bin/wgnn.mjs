#!/usr/bin/env node
import { runWithoutDawnWarnings } from './quiet-dawn.mjs';

if (runWithoutDawnWarnings()) {
  // Runs the TypeScript sources through tsx's loader: no build step, no committed build output.
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
