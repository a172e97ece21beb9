/**
 * Dawn writes two "max…PerPipelineLayout artificially reduced" warnings from native code straight
 * to file descriptor 2 each time a process first asks for a WebGPU adapter (every `--backend
 * auto` run does, on lavapipe and on real GPUs alike). Requesting other limits cannot avoid
 * them: they are printed inside requestAdapter(), before any limit is requested. Node cannot
 * redirect its own descriptor 2, so the command runs as a child whose stderr passes through this
 * process minus those lines. `--verbose` (or WGNN_DEBUG) runs the command directly and shows them.
 */
import { spawn } from 'node:child_process';

const PREFIX = 'Warning: maxDynamic';
const WARNING = /^Warning: maxDynamic(?:Uniform|Storage)BuffersPerPipelineLayout artificially reduced from \d+ to \d+ to fit dynamic offset allocation limit\.\r?\n$/;

/**
 * A stream filter that drops whole warning lines and passes everything else on at once, also
 * text without a newline (a progress line redrawn with \r), so nothing waits for a line end
 * unless it may still turn out to be a warning.
 */
export function dawnWarningFilter(write) {
  let held = '';
  let atLineStart = true;
  return {
    push(text) {
      let s = held + text;
      held = '';
      let out = '';
      while (s.length) {
        const nl = s.indexOf('\n');
        if (!atLineStart) {
          if (nl < 0) { out += s; break; }
          out += s.slice(0, nl + 1);
          s = s.slice(nl + 1);
          atLineStart = true;
          continue;
        }
        if (nl < 0) {
          if (PREFIX.startsWith(s) || s.startsWith(PREFIX)) held = s;
          else { out += s; atLineStart = false; }
          break;
        }
        const line = s.slice(0, nl + 1);
        if (!WARNING.test(line)) out += line;
        s = s.slice(nl + 1);
      }
      if (out) write(out);
    },
    end() {
      if (held) write(held);
      held = '';
    },
  };
}

/** Commands that may open a WebGPU adapter; the others (help, summary, inspect, …) start no child. */
const NEEDS_GPU = new Set(['train', 'study', 'tune', 'evaluate', 'predict', 'serve']);
const DIRECT = new Set(['--verbose', '--help', '-h', '--version', '-V']);

const CPU_BACKENDS = new Set(['wasm', 'cpu', 'reference']);

/** Whether `--backend wasm|cpu|reference` (or `--backend=…`) is among the arguments. */
export function cpuBackendNamed(args) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--backend' && CPU_BACKENDS.has(args[i + 1])) return true;
    if (args[i].startsWith('--backend=') && CPU_BACKENDS.has(args[i].slice(10))) return true;
  }
  return false;
}

/**
 * In the parent: runs this same command as a child with filtered stderr, and exits as it exits.
 * Returns true where the command itself should run in this process (the child, or --verbose).
 */
export function runWithoutDawnWarnings() {
  if (process.env.WGNN_STDERR_FILTERED) {
    // The parent's death (even SIGKILL) closes this channel: stop rather than train on unseen.
    if (process.channel) {
      process.channel.unref();
      process.on('disconnect', () => process.exit(129));
    }
    return true;
  }
  const args = process.argv.slice(2);
  if (process.env.WGNN_DEBUG || args.some((a) => DIRECT.has(a)) || !NEEDS_GPU.has(args.find((a) => !a.startsWith('-')))) return true;
  // A CPU backend named on the command line opens no adapter: no second process to start.
  if (cpuBackendNamed(args)) return true;
  const env = { ...process.env, WGNN_STDERR_FILTERED: '1' };
  // The child's stderr is a pipe; tell it that what it writes ends up on a terminal.
  if (process.stderr.isTTY) env.WGNN_STDERR_TTY = String(process.stderr.columns || 80);
  // Its own process group: a terminal's Ctrl-C reaches it once, forwarded from here, not twice.
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'pipe', 'ipc'],
    env,
    detached: process.platform !== 'win32',
  });
  const filter = dawnWarningFilter((s) => process.stderr.write(s));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => filter.push(d));
  const forward = (signal) => () => child.kill(signal);
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, forward(s));
  child.on('close', (code, signal) => {
    filter.end();
    for (const s of signals) process.removeAllListeners(s);
    if (signal) process.kill(process.pid, signal);
    else process.exitCode = code ?? 1;
  });
  child.on('error', (e) => {
    process.stderr.write(`wgnn: cannot start: ${e.message}\n`);
    process.exitCode = 1;
  });
  return false;
}
