/**
 * Writes `data` to `path` so that readers see the old file or the whole new one, never a part:
 * the bytes go to a temp file in the same directory (rename is only atomic within one file
 * system), reach the disk (fsync), and then replace the target in one rename.
 */
export declare function writeFileAtomic(path: string, data: Uint8Array | string): void;
