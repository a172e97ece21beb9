#!/usr/bin/env node
// Runs the TypeScript sources through tsx's loader: no build step, no committed build output.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
