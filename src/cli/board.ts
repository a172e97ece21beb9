/** `wgnn board [DIR]`: the live dashboard of the runs under a folder, until Ctrl-C. */
import { existsSync, statSync } from 'node:fs';
import { startBoard, type RunningBoard } from '../board/server.ts';

export async function boardCommand(root: string, o: { port: number; host: string }): Promise<RunningBoard> {
  if (existsSync(root) && !statSync(root).isDirectory()) throw new Error(`${root}: not a directory (give the folder that holds the runs, e.g. runs)`);
  let board: RunningBoard;
  try {
    board = await startBoard({ root, host: o.host, port: o.port });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`port ${o.port} on ${o.host} is in use: pick another with --port (0: any free port)`);
    if (code === 'EADDRNOTAVAIL') throw new Error(`cannot bind ${o.host}: not an address of this machine`);
    throw e;
  }
  if (!existsSync(root)) console.log(`${root} does not exist yet: the board will list runs as they appear there`);
  console.log(`Board of ${root} at ${board.url} (Ctrl-C stops)`);
  const stop = () => void board.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return board;
}
