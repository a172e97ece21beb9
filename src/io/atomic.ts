import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `data` to `path` so that readers see the old file or the whole new one, never a part:
 * the bytes go to a temp file in the same directory (rename is only atomic within one file
 * system), reach the disk (fsync), and then replace the target in one rename.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = openSync(temp, 'wx');
    try {
      const half = bytes.length >> 1;
      for (let done = 0; done < half; ) done += writeSync(fd, bytes, done, half - done);
      faultPoint(path);
      for (let done = half; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new Error(`${path}: cannot write file (${code})`, { cause: err });
  }
  syncDir(dir);
}

/**
 * Test-only, for the fault-injection test (tests/fault-injection.test.ts): with
 * WGNN_FAULT_PAUSE_MS=N every atomic write stops halfway through its bytes, says so on stderr
 * ("wgnn-fault: mid-write FILE") and pauses N ms, so that a SIGKILL sent then lands mid-write.
 */
const faultPauseMs = Number(process.env.WGNN_FAULT_PAUSE_MS) || 0;

function faultPoint(path: string): void {
  if (faultPauseMs <= 0) return;
  process.stderr.write(`wgnn-fault: mid-write ${basename(path)}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, faultPauseMs);
}

/** Makes the rename itself durable; without it a crash can bring back the old directory entry. */
function syncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return; // Windows cannot open directories; its rename is journaled anyway.
  }
  try {
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the file's own data is already on disk.
  } finally {
    closeSync(fd);
  }
}
