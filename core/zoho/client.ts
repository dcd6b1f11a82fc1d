import type { RetryPolicy, Sleep } from '../http/retry';
import { DEFAULT_RETRY_POLICY, runWithConcurrency, withRetry } from '../http/retry';
import { chunk, keyValue } from './batching';
import { COQL_IN_LIMIT, COQL_MAX_LIMIT, DEFAULT_CONCURRENCY, MAX_RECORDS_PER_WRITE } from './constants';
import { buildCoqlRequest, buildCoqlSelectIn, buildUpdateRequest, buildUpsertRequest } from './requests';
import type { WriteOptions } from './requests';
import { describeRecordError, interpretWriteOutcome } from './results';
import { classifyZohoOutcome, isAuthFailure } from './retryPolicy';
import type { RecordFailure, RecordOutcome, ZohoHttpOutcome, ZohoRecord, ZohoRequest, ZohoTransport } from './types';
import { ZohoAuthError, failure } from './types';

export interface ZohoClientOptions {
	transport: ZohoTransport;
	sleep: Sleep;
	/** Calls in flight at most (default 5). */
	concurrency?: number;
	retryPolicy?: RetryPolicy;
	random?: () => number;
	onRetry?: (request: ZohoRequest, attempt: number, delayMs: number, outcome: ZohoHttpOutcome) => void;
}

export interface WriteGroup {
	kind: 'upsert' | 'update';
	module: string;
	records: ZohoRecord[];
	options?: WriteOptions;
}

export interface SendResult {
	outcome: ZohoHttpOutcome;
	attempts: number;
}

/** A read (COQL, metadata, get records) that failed after retries; `failure` is what the affected items report. */
export class ZohoReadError extends Error {
	readonly failure: RecordFailure;
	constructor(failure: RecordFailure) {
		super(failure.message);
		this.name = 'ZohoReadError';
		this.failure = failure;
	}
}

export interface LookupResult {
	/** Records by the case-folded lookup value. */
	found: Map<string, ZohoRecord[]>;
	/** Lookup values whose read failed, with the failure to report on their items. */
	failed: Map<string, RecordFailure>;
}

/**
 * The Zoho CRM client: batching (≤100 records per write), bounded concurrency, retries with backoff
 * and jitter for 429/5xx/dropped connections, and per-record outcomes in input order. HTTP itself is
 * the injected transport's job (n8n's authenticated helper in the node, fetch in tests).
 */
export class ZohoClient {
	readonly stats = { calls: 0, retries: 0 };
	private readonly options: Required<Omit<ZohoClientOptions, 'onRetry' | 'random'>> & Pick<ZohoClientOptions, 'onRetry' | 'random'>;

	constructor(options: ZohoClientOptions) {
		const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
		this.options = { ...options, concurrency, retryPolicy: options.retryPolicy ?? DEFAULT_RETRY_POLICY };
	}

	get concurrency(): number {
		return this.options.concurrency;
	}

	/** Sends one request with retries. Throws ZohoAuthError on 401 (n8n already refreshed the token once). */
	async send(request: ZohoRequest): Promise<SendResult> {
		let attempts = 0;
		const outcome = await withRetry<ZohoHttpOutcome>(
			async () => {
				attempts++;
				this.stats.calls++;
				return await this.options.transport(request);
			},
			{
				policy: this.options.retryPolicy,
				sleep: this.options.sleep,
				random: this.options.random,
				classifyError: () => ({ retry: false }),
				classifyResult: (result) => classifyZohoOutcome(result),
				onRetry: (attempt, delayMs, reason) => {
					this.stats.retries++;
					this.options.onRetry?.(request, attempt, delayMs, reason as ZohoHttpOutcome);
				},
			},
		);
		if (isAuthFailure(outcome)) throw new ZohoAuthError(401, (outcome as { body: unknown }).body);
		return { outcome, attempts };
	}

	/** Runs tasks with the client's concurrency bound; a fatal error (auth, a bug) in any task is rethrown. */
	async runAll<T>(tasks: Array<() => Promise<T>>): Promise<T[]> {
		const outcomes = await runWithConcurrency(tasks, this.options.concurrency);
		const fatal = outcomes.find((o) => !o.ok) as { ok: false; error: unknown } | undefined;
		if (fatal) throw fatal.error;
		return outcomes.map((o) => (o as { ok: true; value: T }).value);
	}

	/**
	 * Writes records to one module in calls of at most 100 and returns one outcome per record, in order.
	 * `kind` upsert matches on the duplicate-check fields; update needs an `id` on every record.
	 */
	async write(kind: 'upsert' | 'update', module: string, records: ZohoRecord[], options: WriteOptions = {}): Promise<RecordOutcome[]> {
		const [outcomes] = await this.writeGroups([{ kind, module, records, options }]);
		return outcomes;
	}

	/**
	 * Several writes (modules, option sets) at once: every batch of every group shares the one
	 * concurrency bound. Returns outcomes per group, per record, in order.
	 */
	async writeGroups(groups: WriteGroup[]): Promise<RecordOutcome[][]> {
		const tasks: Array<() => Promise<{ group: number; offset: number; outcomes: RecordOutcome[] }>> = [];
		groups.forEach((group, groupIndex) => {
			let offset = 0;
			for (const { request, size } of this.planWrites(group.kind, group.module, group.records, group.options)) {
				const start = offset;
				tasks.push(async () => {
					const { outcome, attempts } = await this.send(request);
					return { group: groupIndex, offset: start, outcomes: interpretWriteOutcome(outcome, size, group.module, attempts) };
				});
				offset += size;
			}
		});
		const results = await this.runAll(tasks);
		const out: RecordOutcome[][] = groups.map((g) => new Array<RecordOutcome>(g.records.length));
		for (const { group, offset, outcomes } of results) outcomes.forEach((o, i) => (out[group][offset + i] = o));
		return out;
	}

	/** The write calls for these records, without sending them (dry run and planning). */
	planWrites(kind: 'upsert' | 'update', module: string, records: ZohoRecord[], options: WriteOptions = {}): Array<{ request: ZohoRequest; size: number }> {
		return chunk(records, MAX_RECORDS_PER_WRITE).map((batch) => ({
			request: kind === 'upsert' ? buildUpsertRequest(module, batch, options) : buildUpdateRequest(module, batch, options),
			size: batch.length,
		}));
	}

	/** Sends a read; returns the JSON body (null for 204/304). Failures after retries become ZohoReadError. */
	async read(request: ZohoRequest, module = ''): Promise<unknown> {
		const { outcome, attempts } = await this.send(request);
		if (outcome.kind === 'response' && (outcome.status === 204 || outcome.status === 304)) return null;
		if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) return outcome.body;
		const [f] = interpretWriteOutcome(outcome, 1, module || 'requested', attempts);
		throw new ZohoReadError(f as RecordFailure);
	}

	/**
	 * Finds records whose `whereField` equals one of `values` with COQL (50 values per query, 2,000 rows
	 * per page). COQL reads the database directly, so a record written seconds ago is found, unlike
	 * the Search API whose index lags. Values are matched case-insensitively; for a lookup field the
	 * value is the linked record's id.
	 */
	async lookup(module: string, fields: string[], whereField: string, values: string[]): Promise<LookupResult> {
		const unique = Array.from(new Set(values.filter((v) => v !== '')));
		const found = new Map<string, ZohoRecord[]>();
		const failed = new Map<string, RecordFailure>();
		await this.runAll(chunk(unique, COQL_IN_LIMIT).map((group) => async () => {
			// A failed read marks its values as failed; anything else (auth, a bug) ends the run.
			const problem = await this.lookupGroup(module, fields, whereField, group, found).then(
				() => null,
				(error: unknown) => error,
			);
			if (problem === null) return;
			if (!(problem instanceof ZohoReadError)) throw problem;
			for (const value of group) found.delete(value.toLowerCase());
			for (const value of group) failed.set(value.toLowerCase(), problem.failure);
		}));
		return { found, failed };
	}

	private async lookupGroup(module: string, fields: string[], whereField: string, group: string[], found: Map<string, ZohoRecord[]>): Promise<void> {
		for (let offset = 0; ; offset += COQL_MAX_LIMIT) {
			const query = buildCoqlSelectIn(module, [...fields, whereField], whereField, group, COQL_MAX_LIMIT, offset);
			const body = (await this.read(buildCoqlRequest(query, `look up ${group.length} ${module} record(s) by ${whereField}`), module)) as { data?: ZohoRecord[]; info?: { more_records?: boolean } } | null;
			for (const record of body?.data ?? []) {
				const key = keyValue(record[whereField]) ?? '';
				if (!found.has(key)) found.set(key, []);
				found.get(key)!.push(record);
			}
			if (!body?.info?.more_records) return;
		}
	}
}

/** A failure for items whose input was unusable (never sent to Zoho). */
export function inputFailure(message: string, field: string | null = null): RecordFailure {
	return failure('INVALID_INPUT', message, { field });
}

export { describeRecordError };
