import { ROOT_CONTEXT } from '@opentelemetry/api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type App, createApp } from '../src/app.js';
import { bindRequestId, createContext, endOperation, madeParts, setScope } from '../src/context.js';
import { ERROR_CODES, operationAborted } from '../src/errors.js';
import { silentLogger } from '../src/logger.js';

const app: App = createApp({
  sources: [],
  cursorSecret: 'test-cursor-secret-0123456789',
  logger: silentLogger(),
});

describe('an operation context', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('makes its loaders and logger only when first asked for them', () => {
    const ctx = createContext(app);
    expect(madeParts(ctx)).toEqual({ loaders: false, log: false });
    expect(ctx.loaders.calls).toBe(0);
    // The loaders' vendor-call lines carry the request id, through the operation's logger.
    expect(madeParts(ctx)).toEqual({ loaders: true, log: true });
    expect(ctx.loaders.scope.requestId).toBe(ctx.requestId);
    expect(ctx.loaders.scope.log).toBe(ctx.log);
    expect(ctx.log.bindings()).toEqual({ requestId: ctx.requestId });
  });

  it('keeps them out of what envelop copies onto the context', () => {
    const ctx = createContext(app);
    const copy = Object.assign({}, ctx);
    expect(Object.keys(copy).sort()).toEqual(['app', 'client', 'requestId', 'sources']);
    expect(madeParts(ctx)).toEqual({ loaders: false, log: false });
  });

  it('counts the deadline from when the operation began, not from its first read', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    const ctx = createContext(app);
    vi.setSystemTime(1_000_000 + 4_000);
    expect(ctx.loaders.deadline).toBe(1_000_000 + app.policy.requestTimeoutMs);
  });

  it("follows the client's signal once its loaders are made, and one aborted before", () => {
    const client = new AbortController();
    const ctx = createContext(app, null, client.signal);
    client.abort(new Error('gone'));
    expect(ctx.loaders.scope.signal?.aborted).toBe(true);
    const later = new AbortController();
    const other = createContext(app, null, later.signal);
    expect(other.loaders.scope.signal?.aborted).toBe(false);
    later.abort(new Error('gone'));
    expect(other.loaders.scope.signal?.aborted).toBe(true);
  });

  it("reads a request's signal only when it makes its loaders", () => {
    const client = new AbortController();
    let reads = 0;
    const request = {
      get signal() {
        reads++;
        return client.signal;
      },
    };
    const ctx = createContext(app, null, request);
    expect(reads).toBe(0);
    client.abort(new Error('gone'));
    expect(ctx.loaders.scope.signal?.aborted).toBe(true);
    expect(reads).toBe(1);
  });

  it("hands the plugins' scope to its loaders, made before or after, without making them", () => {
    const onPageError = () => {};
    const trace = ROOT_CONTEXT.setValue(Symbol('operation'), 1);
    const early = createContext(app);
    setScope(early, 'onPageError', onPageError);
    setScope(early, 'trace', trace);
    expect(madeParts(early)).toEqual({ loaders: false, log: false });
    expect(early.loaders.scope.onPageError).toBe(onPageError);
    expect(early.loaders.scope.trace).toBe(trace);
    expect(early.loaders.scope.requestId).toBe(early.requestId);

    const late = createContext(app);
    const { scope } = late.loaders;
    setScope(late, 'trace', trace);
    expect(scope.trace).toBe(trace);
    expect(scope.onPageError).toBeUndefined();
  });

  it('binds a request id given later, before or after its parts are made', () => {
    const early = createContext(app);
    bindRequestId(early, 'client-id-1');
    expect(madeParts(early)).toEqual({ loaders: false, log: false });
    expect(early.log.bindings()).toEqual({ requestId: 'client-id-1' });
    expect(early.loaders.scope.requestId).toBe('client-id-1');

    const late = createContext(app);
    const { scope } = late.loaders;
    bindRequestId(late, 'client-id-2');
    expect(scope.requestId).toBe('client-id-2');
    expect(scope.log?.bindings()).toEqual({ requestId: 'client-id-2' });
    expect(late.log).toBe(scope.log);
  });

  it('lets as many vendor calls listen to its signal as it may make, without a leak warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const { signal } = createContext(app).loaders.scope;
      for (let call = 0; call < 40; call++) signal?.addEventListener('abort', () => {});
      // Node emits warnings on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(app.policy.maxVendorCalls).toBeGreaterThanOrEqual(40);
    expect(warnings.map((warning) => warning.name)).toEqual([]);
  });

  it('aborts at its deadline as a timeout, and neither then nor for its client once it ended', () => {
    // The clock is faked too: the deadline counts from when the context was made, and the timer is
    // set when its loaders are, so a real millisecond between the two (a busy machine) would fire it
    // one millisecond early.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const running = createContext(app);
    const signal = running.loaders.scope.signal as AbortSignal;
    vi.advanceTimersByTime(app.policy.requestTimeoutMs - 1);
    expect(signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(operationAborted(signal).code).toBe(ERROR_CODES.VENDOR_TIMEOUT);

    const client = new AbortController();
    const ended = createContext(app, null, client.signal);
    const endedSignal = ended.loaders.scope.signal as AbortSignal;
    expect(vi.getTimerCount()).toBe(1);
    endOperation(ended);
    expect(vi.getTimerCount()).toBe(0);
    client.abort(new Error('gone'));
    vi.advanceTimersByTime(app.policy.requestTimeoutMs);
    expect(endedSignal.aborted).toBe(false);
  });
});
