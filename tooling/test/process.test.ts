import { describe, expect, it } from 'vitest';
import { mapLimit, runProcess } from './process.mjs';

describe('runProcess', () => {
  it('collects stdout, stderr and the exit code without blocking the event loop', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const r = await runProcess(process.execPath, ['-e', 'process.stdout.write("out"); process.stderr.write("err"); setTimeout(() => process.exit(3), 200)']);
    clearInterval(timer);
    expect(r).toMatchObject({ code: 3, signal: null, stdout: 'out', stderr: 'err', timedOut: false });
    expect(ticks).toBeGreaterThan(5); // the worker kept running while the child did
  });

  it('passes stdin and kills a child that outlives its timeout', async () => {
    const echo = await runProcess(process.execPath, ['-e', 'process.stdin.pipe(process.stdout)'], { input: 'hello' });
    expect(echo.stdout).toBe('hello');
    const slow = await runProcess(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { timeout: 300 });
    expect(slow.timedOut).toBe(true);
    expect(slow.signal).toBe('SIGKILL');
    expect(slow.code).toBe(-1);
  });

  it('rejects when the command cannot be started', async () => {
    await expect(runProcess('/no/such/command', [])).rejects.toThrow(/ENOENT/);
  });
});

describe('mapLimit', () => {
  it('keeps at most `limit` calls in flight and returns results in input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([50, 10, 30, 5, 20, 1], 2, async (ms, i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      return i * 10;
    });
    expect(out).toEqual([0, 10, 20, 30, 40, 50]);
    expect(peak).toBe(2);
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
  });
});
