/**
 * A real `redis-server` for a test file, on a free loopback port, with nothing persisted. Null
 * when the binary is not installed (`apt-get install -y redis-server`): the caller skips, saying so.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export interface RunningRedis {
  url: string;
  stop(): Promise<void>;
}

export const redisServerInstalled = (): boolean =>
  spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startRedis(): Promise<RunningRedis | null> {
  if (!redisServerInstalled()) return null;
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  // ioredis retries the connection until the server listens; PING answers once it does.
  const probe = new Redis(url, {
    maxRetriesPerRequest: 50,
    retryStrategy: (times) => Math.min(times * 20, 200),
  });
  // Refused connections until it listens are expected; they are retried.
  probe.on('error', () => {});
  await probe.ping();
  probe.disconnect();
  return {
    url,
    async stop() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
