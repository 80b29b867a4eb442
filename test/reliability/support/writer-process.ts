import { spawn } from 'node:child_process';

/** What a writer process prints as its last line when it ends. */
export interface WorkerReport {
  seed: number;
  done: number;
  errors: number;
  firstErrors: string[];
}

/** Runs a TypeScript writer script in its own Node process to its end; rejects on a non-zero exit. */
export function runWriterProcess(script: string, args: readonly string[]): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0)
        reject(new Error(`${script} ${args.join(' ')} exited with ${code}: ${err.slice(0, 2000)}`));
      else resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as WorkerReport);
    });
  });
}
