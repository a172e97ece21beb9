// The parse worker's entry (see parse-worker.ts), in plain JavaScript so that Node starts it without a loader: a built
// package runs parse-job.js; the repository's TypeScript sources bring tsx's loader first, since
// a worker does not inherit the loader its parent registered.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('./parse-job.js', import.meta.url);
if (existsSync(fileURLToPath(built))) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./parse-job.ts');
}
