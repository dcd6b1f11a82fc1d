import type { RetryPolicy, Sleep } from '../http/retry';
import { DEFAULT_RETRY_POLICY, runWithConcurrency, withRetry } from '../http/retry';
import { DEFAULT_CONCURRENCY, DEFAULT_RATE_PER_SECOND, V2_BATCH_MAX_BYTES, jsonBytes } from './limits';
import { batchRequest, packBatches } from './operations';
import { classifyTrackOutcome, interpretBatchOutcome, interpretSingleOutcome, isAuthFailure, requestFailure } from './results';
import type { BatchOperation, OperationOutcome, TrackHttpOutcome, TrackRequest, TrackTransport } from './types';
import { CustomerIoAuthError, failure } from './types';

/** One thing to send for one item: an element of a v2 batch, or a whole v1 request. */
export type PlannedOperation =
	| { kind: 'batch'; operation: BatchOperation; bytes: number; label: string }
	| { kind: 'single'; request: TrackRequest; label: string };

/** A request the client would send, with the positions of the planned operations it carries. */
export interface PlannedRequest {
	request: TrackRequest;
	operations: number[];
	bytes: number;
}

export interface CustomerIoClientOptions {
	transport: TrackTransport;
	sleep: Sleep;
	/** Requests in flight at most (default 4). */
	concurrency?: number;
	/** Request starts per second at most, retries included (default 100). */
	ratePerSecond?: number;
	retryPolicy?: RetryPolicy;
	maxRequestBytes?: number;
	random?: () => number;
	now?: () => number;
	onRetry?: (request: TrackRequest, attempt: number, delayMs: number, outcome: TrackHttpOutcome) => void;
}

/** Spaces request starts at least `1000 / rate` ms apart, through the injected sleep (no timers here). */
class Pacer {
	private next = 0;
	constructor(
		private readonly intervalMs: number,
		private readonly now: () => number,
		private readonly sleep: Sleep,
	) {}

	async acquire(): Promise<void> {
		if (this.intervalMs <= 0) return;
		const now = this.now();
		const slot = Math.max(now, this.next);
		this.next = slot + this.intervalMs;
		if (slot > now) await this.sleep(slot - now);
	}
}

/**
 * The Track API client: v2 batches packed to the documented 500 KB, v1 single calls where v2 has no
 * operation, bounded concurrency, a request pace, and retries with exponential backoff and full
 * jitter for 429, 5xx and dropped connections (a Retry-After header sets the wait). Returns one outcome
 * per planned operation, in order. HTTP itself is the transport's job (n8n's helper in the node).
 *
 * Retrying is safe: identify, delete, suppress and unsuppress converge on the same state when
 * repeated, a repeated merge finds the secondary gone and does nothing, and events carry
 * deterministic ids that Customer.io deduplicates — so a batch that was accepted but whose answer was
 * lost is sent again without doubling anything.
 */
export class CustomerIoClient {
	readonly stats = { requests: 0, retries: 0, batchRequests: 0, singleRequests: 0 };
	private readonly pacer: Pacer;
	private readonly concurrency: number;
	private readonly policy: RetryPolicy;
	private readonly maxRequestBytes: number;

	constructor(private readonly options: CustomerIoClientOptions) {
		this.concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
		const rate = options.ratePerSecond ?? DEFAULT_RATE_PER_SECOND;
		this.pacer = new Pacer(rate > 0 ? 1000 / rate : 0, options.now ?? Date.now, options.sleep);
		this.policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
		this.maxRequestBytes = options.maxRequestBytes ?? V2_BATCH_MAX_BYTES;
	}

	/** Sends one request, retrying what is worth retrying. Throws CustomerIoAuthError on 401/403. */
	async send(request: TrackRequest): Promise<{ outcome: TrackHttpOutcome; attempts: number }> {
		let attempts = 0;
		const outcome = await withRetry<TrackHttpOutcome>(
			async () => {
				await this.pacer.acquire();
				attempts++;
				this.stats.requests++;
				return await this.options.transport(request);
			},
			{
				policy: this.policy,
				sleep: this.options.sleep,
				random: this.options.random,
				classifyError: () => ({ retry: false }),
				classifyResult: (result) => classifyTrackOutcome(result),
				onRetry: (attempt, delayMs, reason) => {
					this.stats.retries++;
					this.options.onRetry?.(request, attempt, delayMs, reason as TrackHttpOutcome);
				},
			},
		);
		if (isAuthFailure(outcome)) throw new CustomerIoAuthError((outcome as { status: number }).status);
		return { outcome, attempts };
	}

	/** The requests `run` would send for these operations (dry run, request counts). */
	plan(operations: PlannedOperation[]): PlannedRequest[] {
		const batchPositions: number[] = [];
		const planned: PlannedRequest[] = [];
		operations.forEach((op, position) => {
			if (op.kind === 'batch') batchPositions.push(position);
			else planned.push({ request: op.request, operations: [position], bytes: jsonBytes(op.request.body ?? null) });
		});
		const sizes = batchPositions.map((p) => (operations[p] as { bytes: number }).bytes);
		const packed = packBatches(sizes, this.maxRequestBytes).map((group) => {
			const positions = group.map((i) => batchPositions[i]);
			const ops = positions.map((p) => (operations[p] as { operation: BatchOperation }).operation);
			const request = batchRequest(ops);
			return { request, operations: positions, bytes: jsonBytes(request.body) };
		});
		return [...packed, ...planned];
	}

	/** Sends every operation and returns one outcome per operation, in order. */
	async run(operations: PlannedOperation[]): Promise<OperationOutcome[]> {
		const outcomes: OperationOutcome[] = new Array(operations.length);
		const tasks = this.plan(operations).map((planned) => async () => {
			if (planned.request.path === '/api/v2/batch') {
				await this.sendBatch(planned.operations, operations, outcomes, true);
			} else {
				const [position] = planned.operations;
				this.stats.singleRequests++;
				const { outcome, attempts } = await this.send(planned.request);
				outcomes[position] = interpretSingleOutcome(outcome, attempts, operations[position].label);
			}
		});
		const results = await runWithConcurrency(tasks, this.concurrency);
		const fatal = results.find((r) => !r.ok) as { ok: false; error: unknown } | undefined;
		if (fatal) throw fatal.error;
		for (let i = 0; i < outcomes.length; i++) {
			outcomes[i] ??= failure('NOT_SENT', `Operation ${i} was not sent — this is a bug in the node; please report it`);
		}
		return outcomes;
	}

	private async sendBatch(positions: number[], operations: PlannedOperation[], outcomes: OperationOutcome[], mayResend: boolean): Promise<void> {
		const ops = positions.map((p) => (operations[p] as { operation: BatchOperation }).operation);
		this.stats.batchRequests++;
		const { outcome, attempts } = await this.send(batchRequest(ops));
		if (outcome.kind === 'response' && outcome.status === 413) {
			if (positions.length === 1) {
				outcomes[positions[0]] = requestFailure(outcome, attempts, operations[positions[0]].label);
				return;
			}
			// Customer.io's size accounting differs from ours: halve and send again.
			const half = Math.ceil(positions.length / 2);
			await this.sendBatch(positions.slice(0, half), operations, outcomes, mayResend);
			await this.sendBatch(positions.slice(half), operations, outcomes, mayResend);
			return;
		}
		const { outcomes: each, resend } = interpretBatchOutcome(
			outcome,
			positions.map((p) => operations[p].label),
			attempts,
		);
		each.forEach((o, i) => (outcomes[positions[i]] = o));
		if (resend.length > 0 && mayResend) {
			// A 400 named the bad operations; nothing was accepted. The others go again, once.
			await this.sendBatch(
				resend.map((i) => positions[i]),
				operations,
				outcomes,
				false,
			);
		}
	}
}
