import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '#infra/laowu-function';
import { eventually } from '../../support/local-cloud';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Processes whose command line mentions the data folder (the JVM of DynamoDB Local holds its path). */
function processesUsing(dataDir: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', dataDir], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

function start(port: number, dataDir: string): ChildProcess {
  return spawn('npm', ['start'], {
    cwd: projectRoot,
    env: { ...process.env, PORT: String(port), LAOWU_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so Ctrl-C can be delivered as a terminal does: to the whole group.
    detached: true,
  });
}

async function healthy(port: number) {
  return eventually(
    async () => {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/health`);
        return response.status === 200 ? await response.json() : undefined;
      } catch {
        return undefined;
      }
    },
    60_000,
    250,
  );
}

/** Ctrl-C: SIGINT to the whole process group; resolves once npm has exited (by code or by the signal). */
async function interrupt(child: ChildProcess): Promise<boolean> {
  const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
  process.kill(-(child.pid ?? 0), 'SIGINT');
  return exited;
}

describe('npm start', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laowu-start-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null && child.pid)
        process.kill(-child.pid, 'SIGKILL');
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /health within 60 s, stops everything on Ctrl-C, and a second start reuses the data folder', async () => {
    const port = await freePort();
    const first = start(port, dataDir);
    children.push(first);
    let output = '';
    first.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    expect(await healthy(port)).toEqual({ status: 'ok' });
    await eventually(async () => (output.includes('Ctrl-C') ? true : undefined));
    expect(output).toContain(`http://127.0.0.1:${port}/v1`);
    expect(output).toContain(dataDir);

    // Something to find again after the restart: the simulated clock, kept in the data folder.
    const moved = await fetch(`http://127.0.0.1:${port}/local/clock`, {
      method: 'POST',
      body: JSON.stringify({ now: '2021-12-20T10:00:00+08:00' }),
    });
    expect(moved.status).toBe(200);

    expect(await interrupt(first)).toBe(true);
    await eventually(async () => (processesUsing(dataDir).length === 0 ? true : undefined), 10_000);

    const second = start(port, dataDir);
    children.push(second);
    await healthy(port);
    const clock = (await (await fetch(`http://127.0.0.1:${port}/local/clock`)).json()) as { now: string };
    expect(Date.parse(clock.now)).toBeGreaterThanOrEqual(Date.parse('2021-12-20T02:00:00Z'));
    expect(Date.parse(clock.now)).toBeLessThan(Date.parse('2021-12-21T02:00:00Z'));
    expect(fs.existsSync(path.join(dataDir, 'dynamodb'))).toBe(true);
    expect(await interrupt(second)).toBe(true);
    await eventually(async () => (processesUsing(dataDir).length === 0 ? true : undefined), 10_000);
  }, 180_000);
});
