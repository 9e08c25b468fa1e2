// JSON-RPC 2.0 over HTTP (fetch) and WebSocket subscriptions (docs/rpc.md). Works in browsers
// and in Node.js 20+ (global fetch). Node 20 has no global WebSocket: give WsClient a
// constructor (e.g. the `ws` package's) there; Node 22+ and browsers have one.

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly dataCode?: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

let nextId = 1;

export interface RpcClientOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class RpcClient {
  readonly url: string;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  /** `url` like "http://127.0.0.1:26600" (POST / is JSON-RPC). */
  constructor(url: string, opts: RpcClientOptions = {}) {
    this.url = url.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 15000;
    this.fetchFn = opts.fetch ?? ((...a) => fetch(...a));
  }

  async call<R = any>(method: string, params?: unknown): Promise<R> {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), this.timeoutMs);
    try {
      const res = await this.fetchFn(this.url + '/', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params: params ?? {} }),
        signal: ctl.signal,
      });
      const body = await res.json();
      if (body.error) throw new RpcError(body.error.code, body.error.message, body.error.data?.code);
      return body.result as R;
    } catch (e) {
      if (e instanceof RpcError) throw e;
      throw new RpcError(-32009, `node unreachable: ${(e as Error).message}`, 'unavailable');
    } finally {
      clearTimeout(timer);
    }
  }

  // Typed helpers for the node's methods (docs/ledger.md).
  status() {
    return this.call<NodeStatus>('status');
  }
  genesis() {
    return this.call<any>('genesis');
  }
  getBlock(height: number | string | 'latest' = 'latest', receipts = false) {
    return this.call<any>('get_block', { height, receipts });
  }
  getTx(txId: string) {
    return this.call<any>('get_tx', { tx_id: txId });
  }
  getState(keyHex: string, height?: number | string) {
    return this.call<any>('get_state', height === undefined ? { key: keyHex } : { key: keyHex, height });
  }
  query(module: string, path: string, params: unknown = {}, height?: number | string) {
    return this.call<any>('query', height === undefined ? { module, path, params } : { module, path, params, height });
  }
  events(key: string, fromHeight?: number, limit?: number) {
    const p: Record<string, unknown> = { key };
    if (fromHeight !== undefined) p.from_height = fromHeight;
    if (limit !== undefined) p.limit = limit;
    return this.call<{ events: any[] }>('events', p);
  }
  /** The nearest certified header at or above `height` (consensus.ts verifies it). */
  getCertificate(height: number | string) {
    return this.call<import('./consensus.js').CertificateResponse & { height: number; header_hash: string; block_id: string; round: number; signers: number }>('get_certificate', { height });
  }
  /** The validator set from genesis, as the node reports it (pin it: consensus.ts validatorSetFromJson). */
  getValidators() {
    return this.call<any>('get_validators');
  }
  submitTx(txHex: string, wait = false) {
    return this.call<{ tx_id: string; receipt: any }>('submit_tx', { tx: txHex, wait });
  }
}

export interface NodeStatus {
  chain_id: string;
  node: string;
  org: string;
  height: number;
  hash: string;
  state_root: string;
  genesis_hash: string;
  hash_alg: string;
  round: number;
  peers: number;
  validators: number;
  mempool_size: number;
  proposer: string;
  consensus?: ConsensusStatus;
}

/** status.consensus: this node's view of consensus. */
export interface ConsensusStatus {
  validators: number;
  index: number | null;
  round: number;
  high_qc_round: number;
  committed_round: number;
  last_voted_round?: number;
  pending_blocks?: number;
  consecutive_timeouts?: number;
  certified_height: number;
  peers: { index: number; name: string; connected: boolean; [k: string]: unknown }[];
}

type WsCtor = new (url: string) => WebSocket;

/**
 * WebSocket subscriptions: `subscribe('new_blocks', cb)` and `subscribe('events:bank.to=fm1…', cb)`.
 * Reconnects (and resubscribes) after a drop, with a capped back-off.
 */
export class WsClient {
  private ws: WebSocket | null = null;
  private pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private subs = new Map<string, { topic: string; cb: (result: any) => void; serverId: string | null }>();
  private closed = false;
  private backoff = 250;
  private localId = 0;
  onState: (state: 'open' | 'closed') => void = () => {};

  /** `url` like "ws://127.0.0.1:26600/ws". */
  constructor(
    readonly url: string,
    private readonly ctor: WsCtor = globalThis.WebSocket as unknown as WsCtor,
  ) {}

  static fromHttp(httpUrl: string, ctor?: WsCtor): WsClient {
    return new WsClient(httpUrl.replace(/^http/, 'ws').replace(/\/+$/, '') + '/ws', ctor);
  }

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new this.ctor(this.url);
      this.ws = ws;
      ws.onopen = () => {
        this.backoff = 250;
        this.onState('open');
        for (const s of this.subs.values()) void this.sendSubscribe(s);
        resolve();
      };
      ws.onerror = () => reject(new Error(`websocket ${this.url} failed`));
      ws.onclose = () => {
        this.onState('closed');
        for (const p of this.pending.values()) p.reject(new Error('websocket closed'));
        this.pending.clear();
        for (const s of this.subs.values()) s.serverId = null;
        if (!this.closed) {
          setTimeout(() => this.connect().catch(() => {}), this.backoff);
          this.backoff = Math.min(this.backoff * 2, 5000);
        }
      };
      ws.onmessage = (ev: MessageEvent) => this.onMessage(String(ev.data));
    });
  }

  private onMessage(text: string) {
    let m: any;
    try {
      m = JSON.parse(text);
    } catch {
      return;
    }
    if (m.method === 'subscription' && m.params) {
      for (const s of this.subs.values()) if (s.serverId === m.params.subscription) s.cb(m.params.result);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.error) p.reject(new RpcError(m.error.code, m.error.message, m.error.data?.code));
    else p.resolve(m.result);
  }

  call<R = any>(method: string, params: unknown): Promise<R> {
    const ws = this.ws;
    if (!ws || ws.readyState !== 1) return Promise.reject(new Error('websocket not open'));
    const id = nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  private async sendSubscribe(s: { topic: string; serverId: string | null }) {
    s.serverId = await this.call<string>('subscribe', { topic: s.topic });
  }

  /** Subscribes; returns a function that unsubscribes. */
  async subscribe(topic: string, cb: (result: any) => void): Promise<() => Promise<void>> {
    const local = `l${++this.localId}`;
    const s = { topic, cb, serverId: null as string | null };
    this.subs.set(local, s);
    if (this.ws && this.ws.readyState === 1) await this.sendSubscribe(s);
    return async () => {
      this.subs.delete(local);
      if (s.serverId && this.ws && this.ws.readyState === 1) await this.call('unsubscribe', { subscription: s.serverId });
    };
  }

  /** new_blocks: each committed header (height, hash, state_root, …). */
  onNewBlocks(cb: (header: any) => void) {
    return this.subscribe('new_blocks', cb);
  }
  /** events:<module>.<attr>=<value>, e.g. eventsKey = "bank.to=fm1…". */
  onEvents(eventsKey: string, cb: (ev: { height: number; tx_id: string; event: any }) => void) {
    return this.subscribe(`events:${eventsKey}`, cb);
  }

  close() {
    this.closed = true;
    this.ws?.close();
  }
}
