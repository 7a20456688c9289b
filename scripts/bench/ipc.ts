/**
 * A few typed calls between the bench orchestrator and its child processes over Node's IPC
 * channel: the servers under test live in their own processes so that the load generator does
 * not share their event loop.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

type Handler = (args: unknown) => unknown;

interface Call {
  id: number;
  method: string;
  args: unknown;
}

interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

/** In a child: answer the orchestrator's calls with `handlers`. */
export function serve(handlers: Record<string, Handler>): void {
  // The orchestrator is gone (killed, or crashed): a child serving a port must not outlive it.
  process.once('disconnect', () => process.exit(0));
  process.on('message', async (message: Call) => {
    const reply: Reply = { id: message.id };
    try {
      const handler = handlers[message.method];
      if (!handler) throw new Error(`No handler "${message.method}"`);
      reply.result = await handler(message.args);
    } catch (error) {
      reply.error = (error as Error).stack ?? String(error);
    }
    process.send?.(reply);
  });
}

export interface Child {
  process: ChildProcess;
  call<T>(method: string, args?: unknown): Promise<T>;
  /** Asks the child to stop (so that `--cpu-prof` writes its profile) and waits for its exit. */
  stop(): Promise<void>;
}

/**
 * Starts `scripts/bench/<file>` with `nodeArgs` (under tsx when it is TypeScript), and waits for
 * its `ready` call.
 */
export async function spawnChild(file: string, nodeArgs: string[] = [], args: string[] = []): Promise<Child> {
  const path = fileURLToPath(new URL(file, import.meta.url));
  const loader = file.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = fork(path, args, { execArgv: [...loader, ...nodeArgs], stdio: 'inherit' });
  let next = 0;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  child.on('message', (reply: Reply) => {
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if (reply.error) waiting.reject(new Error(reply.error));
    else waiting.resolve(reply.result);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code) => {
    for (const waiting of pending.values()) waiting.reject(new Error(`${file} exited (${code})`));
    pending.clear();
  });
  const call = <T>(method: string, args?: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, method, args } satisfies Call);
    });
  await call('ready');
  return {
    process: child,
    call,
    async stop() {
      await call('stop').catch(() => {});
      await exited;
    },
  };
}
