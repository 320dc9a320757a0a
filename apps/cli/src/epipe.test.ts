import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

describe('collab ... | head', () => {
  it('ends quietly with status 0 when the reader closes stdout early', async () => {
    const r = await new Promise<{ code: number | null; stderr: string; got: number }>((resolve) => {
      const p = spawn(process.execPath, [BIN, 'generate', '--ratings', '200000', '--users', '2000', '--items', '500', '-q'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let got = 0;
      p.stderr.on('data', (d) => (stderr += d));
      p.stdout.once('data', (d: Buffer) => {
        got = d.length;
        p.stdout.destroy(); // what `head -c` does once it has enough
      });
      p.on('close', (code) => resolve({ code, stderr, got }));
    });
    expect(r.got).toBeGreaterThan(0);
    expect(r.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(r.code).toBe(0);
  });
});

describe('a full disk', () => {
  it('is one line naming the cause, exit 1, no stack trace', async () => {
    const { openSync, closeSync, existsSync } = await import('node:fs');
    if (!existsSync('/dev/full')) {
      console.warn('skipping: no /dev/full on this machine');
      return;
    }
    const full = openSync('/dev/full', 'w');
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [BIN, 'generate', '--ratings', '2000', '--users', '50', '--items', '60', '-q'], { stdio: ['ignore', full, 'pipe'] });
      let stderr = '';
      p.stderr!.on('data', (d) => (stderr += d));
      p.on('close', (code) => resolve({ code, stderr }));
    });
    closeSync(full);
    expect(r.stderr.trim()).toBe('collab: cannot write the output: no space left on the device (ENOSPC)');
    expect(r.code).toBe(1);
  });
});
