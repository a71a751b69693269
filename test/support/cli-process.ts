// A long-running sero-miner command (devnet, web) started as a user would, with --json: resolves
// once it prints its one ready line, parsed.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './vectors.js';

export const bin = path.join(repoRoot, 'bin/sero-miner.js');

export interface RunningCommand {
  child: ChildProcess;
  ready: Record<string, unknown>;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `sero-miner <args>` and resolves with its parsed ready line (the args include --json). */
export function startCommand(args: string[], timeoutMs = 20_000): Promise<RunningCommand> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`no ready line; stderr: ${stderr}`))), timeoutMs);
    child.stdout!.on('data', (chunk) => {
      stdout += String(chunk);
      const newline = stdout.indexOf('\n');
      if (newline < 0 || timer === undefined) return;
      clearTimeout(timer);
      resolve({ child, ready: JSON.parse(stdout.slice(0, newline)) as Record<string, unknown>, stdout: () => stdout, stderr: () => stderr, exited });
    });
    void exited.then(({ code }) => reject(new Error(`${args[0]} exited with ${code} before it was ready: ${stderr}`)));
  });
}
