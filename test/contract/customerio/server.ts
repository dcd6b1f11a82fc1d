/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * A contract-faithful Customer.io Track API (v1 and v2) for tests, benchmarks and the real-n8n e2e suite.
 *
 * Source for every behaviour: Customer.io's Track API reference, https://docs.customer.io/api/track/
 * (its OpenAPI document: https://docs.customer.io/files/journeys-track.json), unless noted.
 *
 * - Auth: HTTP Basic with the workspace's Site ID as user name and Track API key as password; anything
 *   else gets 401 (reference, "Authentication"; each operation: "Track endpoints use basic
 *   authentication with your Site ID as the user name and your secret key as the password").
 * - GET /api/v1/accounts/region → `{url, region, environment_id}` (operation getRegion).
 * - PUT /api/v1/customers/{identifier} (identify), DELETE …/{identifier}, POST …/{identifier}/events,
 *   POST /api/v1/events (anonymous), POST /api/v1/merge_customers, POST …/{identifier}/suppress and
 *   …/unsuppress. The identifier in a v1 path is an id, an email, or `cio_<cio_id>` — "We determine the
 *   identifier type from the shape of the value" (path parameter `identifier`).
 * - POST /api/v2/entity (one operation, ≤32 kb) and POST /api/v2/batch (≤500 kb, each operation
 *   ≤32 kb): `{type: "person", identifiers: {id|email|cio_id} (exactly one), action: identify | event |
 *   delete | suppress | unsuppress | merge, …}`. Batch answers 200, or 207 with
 *   `{errors: [{batch_index, reason, field, message}]}` for the invalid operations ("all other requests
 *   are accepted"), or 400 when the request as a whole is malformed (operation batch). Over-size
 *   requests: the docs name no status; this server answers 413. It enforces the stricter reading of
 *   "kb" (500,000 and 32,000 bytes).
 * - Validation and its messages: https://docs.customer.io/journeys/invalid-api-requests ("id attribute
 *   must be a string value", "cannot identify more than 300 attributes in one request", "attribute name
 *   cannot be longer than 150 bytes", "value for attribute 'X' cannot be longer than 1000 bytes", "event
 *   name must not be blank", "event name cannot be longer than 100 bytes", "event data must be a hash",
 *   "event data cannot be longer than 100000 bytes"); ID ≤150 bytes (limits table). Stricter than
 *   documented, to catch client bugs: an event `timestamp` above 1e11 (milliseconds) is refused.
 * - People: email is case-insensitive ("person@example.com and PERSON@example.com would represent the
 *   same person"); an identify whose path identifier is unknown but whose body carries another
 *   identifier of an existing person updates that person and gives them the path identifier; an
 *   identifier already set can only be changed when the person is referenced by cio_id, otherwise the
 *   change is an "Attribute Update Failure" (200 OK, not applied); `_update: true` never creates;
 *   a `timestamp` older than the last applied one does not overwrite newer attributes ("can be used to
 *   control the order of attribute updates"); an empty-string or null value removes an attribute.
 * - Events: "If two events contain the same id, we won't process the event multiple times"; the id
 *   must be a ULID (https://docs.customer.io/journeys/events/#deduplicating-events). No window is
 *   documented, so this server remembers every id. An event for an unknown person creates the person.
 * - Suppress deletes the profile and blocks its identifiers (id and email) until unsuppressed; calls
 *   referencing a suppressed identifier are ignored (operation suppress / unsuppress).
 * - Merge: the primary must exist ("If the primary profile doesn't exist, your request won't do
 *   anything"); attributes not set on the primary are copied from the secondary, its events move over,
 *   the secondary is deleted (operation merge).
 * - Rate: 429 past a configurable number of requests per second (default 1000, the documented fair-use
 *   rate; "Rate Limits" section), with Retry-After: 1.
 *
 * For fault tests: a seeded share of calls fails with 5xx, 429 or a dropped connection, BEFORE the call
 * does anything or AFTER its operations are accepted (the case where a retry must not double events —
 * the deterministic event ids and the dedupe above make it exactly once). Configurable latency.
 * Control API under /__control/ (health, reset, state, people, events, faults, config, calls).
 *
 * Standalone: node scripts/run-ts.js test/contract/customerio/server.ts --port 8788 [--latency 100] [--rate 1000]
 *   prints `Customer.io Track contract server listening on http://127.0.0.1:8788` and a JSON line with
 *   the credentials to use (siteId, apiKey, region "custom", customUrl).
 */
import http from 'node:http';
import { type BaseFaultConfig, type FaultKind, type FaultPhase, FaultPlan, type ScriptedFault } from '../faults';
import { ContractHttpServer, HttpReply, argValue, runStandalone } from '../httpServer';

export type { FaultKind, FaultPhase, ScriptedFault } from '../faults';

/** Routes look like "POST /api/v2/batch". */
export interface FaultConfig extends BaseFaultConfig {
	/** Of the faulted calls, the share whose fault comes after the call was accepted and applied (default 0.5). */
	afterAcceptShare?: number;
}

export interface CustomerIoServerOptions {
	port?: number;
	host?: string;
	siteId?: string;
	apiKey?: string;
	/** Reported by GET /api/v1/accounts/region. */
	region?: 'us' | 'eu';
	environmentId?: number;
	latencyMs?: number;
	/** Requests per second before 429 (0: no limit). Default 1000. */
	rateLimitPerSecond?: number;
	maxBatchBytes?: number;
	maxOperationBytes?: number;
	faults?: FaultConfig | null;
}

export const DEFAULT_CREDENTIALS = { siteId: 'test-site-id', apiKey: 'test-track-api-key' };

export interface Person {
	cio_id: string;
	id: string | null;
	email: string | null;
	attributes: Record<string, unknown>;
	created_at: number;
	updated_at: number;
	/** The newest identify `timestamp` applied. */
	attributes_timestamp: number | null;
	created_by: 'identify' | 'event';
}

export interface StoredEvent {
	seq: number;
	/** cio_id of the person, or null for anonymous events. */
	person: string | null;
	anonymous_id: string | null;
	name: string;
	id: string | null;
	timestamp: number | null;
	data: Record<string, unknown>;
	via: string;
	received_at: string;
}

export interface CallLogEntry {
	seq: number;
	method: string;
	path: string;
	route: string;
	status: number | null;
	fault: { kind: FaultKind; phase: FaultPhase } | null;
	operations: number;
	bytes: number;
	at: string;
}

interface ApiError {
	reason: string;
	field: string;
	message: string;
}

type Identifiers = { id?: unknown; email?: unknown; cio_id?: unknown };
type Ref = { type: 'id' | 'email' | 'cio_id'; value: string };

const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const MAX_ID_BYTES = 150;
const MAX_ATTRIBUTE_NAME_BYTES = 150;
const MAX_ATTRIBUTE_VALUE_BYTES = 1000;
const MAX_ATTRIBUTES = 300;
const MAX_EVENT_NAME_BYTES = 100;
const MAX_EVENT_DATA_BYTES = 100_000;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const v1Error = (status: number, message: string) => new HttpReply(status, { meta: { error: message } });

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class CustomerIoContractServer extends ContractHttpServer {
	readonly options: Required<Omit<CustomerIoServerOptions, 'faults' | 'port' | 'host'>> & Pick<CustomerIoServerOptions, 'port' | 'host'>;
	private people = new Map<string, Person>();
	private byId = new Map<string, string>();
	private byEmail = new Map<string, string>();
	private storedEvents: StoredEvent[] = [];
	private eventIds = new Set<string>();
	private duplicateEvents: Array<{ id: string; name: string }> = [];
	private suppressed = new Map<string, string[]>();
	private merges: Array<{ primary: string; secondary: string }> = [];
	private attributeUpdateFailures: Array<{ person: string; attribute: string; message: string }> = [];
	private ignored: Array<{ reason: string; ref: string }> = [];
	private deletedPeople = 0;
	private cioCounter = 0;
	private calls: CallLogEntry[] = [];
	private readonly faults = new FaultPlan<FaultConfig>((config) => config.afterAcceptShare);
	private recent: number[] = [];
	private readonly initialOptions: CustomerIoContractServer['options'];

	constructor(options: CustomerIoServerOptions = {}) {
		super();
		this.options = {
			port: options.port,
			host: options.host ?? '127.0.0.1',
			siteId: options.siteId ?? DEFAULT_CREDENTIALS.siteId,
			apiKey: options.apiKey ?? DEFAULT_CREDENTIALS.apiKey,
			region: options.region ?? 'us',
			environmentId: options.environmentId ?? 1,
			latencyMs: options.latencyMs ?? 0,
			rateLimitPerSecond: options.rateLimitPerSecond ?? 1000,
			maxBatchBytes: options.maxBatchBytes ?? 500_000,
			maxOperationBytes: options.maxOperationBytes ?? 32_000,
		};
		this.initialOptions = { ...this.options };
		this.reset();
		if (options.faults) this.setFaults(options.faults);
	}

	protected listenAddress(): { host: string; port: number | undefined } {
		return { host: this.options.host ?? '127.0.0.1', port: this.options.port };
	}

	// ---------- control (also over HTTP under /__control/) ----------

	/** Back to the start: initial options, no people, events, suppressions, calls or faults. */
	reset(): void {
		Object.assign(this.options, this.initialOptions ?? {});
		this.people = new Map();
		this.byId = new Map();
		this.byEmail = new Map();
		this.storedEvents = [];
		this.eventIds = new Set();
		this.duplicateEvents = [];
		this.suppressed = new Map();
		this.merges = [];
		this.attributeUpdateFailures = [];
		this.ignored = [];
		this.deletedPeople = 0;
		this.cioCounter = 0;
		this.calls = [];
		this.faults.clear();
		this.recent = [];
	}

	setFaults(config: FaultConfig | null): void {
		this.faults.set(config);
	}

	scriptFaults(faults: ScriptedFault[]): void {
		this.faults.script(faults);
	}

	configure(config: Partial<Pick<CustomerIoContractServer['options'], 'latencyMs' | 'rateLimitPerSecond' | 'maxBatchBytes' | 'maxOperationBytes' | 'region'>>): void {
		for (const [key, value] of Object.entries(config)) if (value !== undefined) (this.options as Record<string, unknown>)[key] = value;
	}

	/** Adds people as given (e.g. to test merges or identifier conflicts). */
	seedPeople(people: Array<{ id?: string; email?: string; attributes?: Record<string, unknown> }>): Person[] {
		return people.map((p) => this.createPerson(p.id ?? null, p.email ?? null, p.attributes ?? {}, null, 'identify'));
	}

	listPeople(): Person[] {
		return Array.from(this.people.values()).map((p) => JSON.parse(JSON.stringify(p)) as Person);
	}

	findPerson(ref: { id?: string; email?: string; cio_id?: string }): Person | null {
		const cio = ref.cio_id ?? (ref.id !== undefined ? this.byId.get(ref.id) : ref.email !== undefined ? this.byEmail.get(ref.email.toLowerCase()) : undefined);
		const person = cio ? this.people.get(cio) : undefined;
		return person ? (JSON.parse(JSON.stringify(person)) as Person) : null;
	}

	listEvents(filter: { name?: string; person?: string } = {}): StoredEvent[] {
		return this.storedEvents.filter((e) => (filter.name === undefined || e.name === filter.name) && (filter.person === undefined || e.person === filter.person)).map((e) => JSON.parse(JSON.stringify(e)) as StoredEvent);
	}

	counts(): Record<string, number> {
		return {
			people: this.people.size,
			events: this.storedEvents.length,
			anonymousEvents: this.storedEvents.filter((e) => e.person === null).length,
			eventsWithId: this.storedEvents.filter((e) => e.id !== null).length,
			duplicateEventsIgnored: this.duplicateEvents.length,
			suppressedIdentifiers: this.suppressed.size,
			deletedPeople: this.deletedPeople,
			merges: this.merges.length,
			attributeUpdateFailures: this.attributeUpdateFailures.length,
			ignoredOperations: this.ignored.length,
		};
	}

	state(): Record<string, unknown> {
		return {
			counts: this.counts(),
			people: this.listPeople(),
			events: this.listEvents(),
			suppressed: Array.from(this.suppressed.keys()),
			merges: [...this.merges],
			duplicateEvents: [...this.duplicateEvents],
			attributeUpdateFailures: [...this.attributeUpdateFailures],
			ignored: [...this.ignored],
		};
	}

	callLog(): { calls: CallLogEntry[]; counts: Record<string, number>; faults: number } {
		const counts: Record<string, number> = {};
		for (const call of this.calls) counts[call.route] = (counts[call.route] ?? 0) + 1;
		return { calls: this.calls.map((c) => ({ ...c })), counts, faults: this.calls.filter((c) => c.fault).length };
	}

	/** Calls of one route, e.g. count('POST /api/v2/batch'). */
	count(route: string): number {
		return this.calls.filter((c) => c.route === route).length;
	}

	clearCalls(): void {
		this.calls = [];
	}

	// ---------- HTTP ----------

	protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://localhost');
		let raw: string;
		try {
			raw = await readBody(req);
		} catch {
			return;
		}
		if (url.pathname.startsWith('/__control/')) {
			this.send(res, this.control(req.method ?? 'GET', url, raw));
			return;
		}
		const method = req.method ?? 'GET';
		const route = routeOf(method, url.pathname);
		const entry: CallLogEntry = { seq: this.calls.length + 1, method, path: url.pathname + url.search, route, status: null, fault: null, operations: 0, bytes: bytes(raw), at: new Date().toISOString() };
		this.calls.push(entry);
		try {
			if (this.options.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
			if (!this.authorized(req.headers.authorization)) {
				this.finish(res, entry, v1Error(401, 'Unauthorized request'));
				return;
			}
			if (this.rateLimited()) {
				this.finish(res, entry, new HttpReply(429, { meta: { error: 'Too many requests' } }, { 'Retry-After': '1' }));
				return;
			}
			const fault = this.faults.pick(route);
			if (fault?.phase === 'before') {
				entry.fault = { kind: fault.kind, phase: 'before' };
				this.applyFault(req, res, entry, fault);
				return;
			}
			const reply = this.api(method, url, raw, entry);
			if (fault) {
				// Accepted and applied; the client never learns it.
				entry.fault = { kind: fault.kind, phase: 'after' };
				this.applyFault(req, res, entry, fault);
				return;
			}
			this.finish(res, entry, reply);
		} catch (err) {
			this.finish(res, entry, v1Error(500, `contract server bug: ${(err as Error).message}`));
		}
	}

	private authorized(header: string | undefined): boolean {
		const match = /^Basic\s+(.+)$/i.exec(header ?? '');
		if (!match) return false;
		const decoded = Buffer.from(match[1], 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		return colon >= 0 && decoded.slice(0, colon) === this.options.siteId && decoded.slice(colon + 1) === this.options.apiKey;
	}

	private rateLimited(): boolean {
		const limit = this.options.rateLimitPerSecond;
		if (!limit || limit <= 0) return false;
		const now = Date.now();
		while (this.recent.length > 0 && this.recent[0] <= now - 1000) this.recent.shift();
		if (this.recent.length >= limit) return true;
		this.recent.push(now);
		return false;
	}

	private applyFault(req: http.IncomingMessage, res: http.ServerResponse, entry: CallLogEntry, fault: ScriptedFault): void {
		if (fault.kind === 'drop') {
			entry.status = null;
			req.socket.destroy();
			return;
		}
		if (fault.kind === 'tooManyRequests') {
			this.finish(res, entry, new HttpReply(429, { meta: { error: 'Too many requests' } }, { 'Retry-After': '0' }));
			return;
		}
		this.finish(res, entry, v1Error(fault.status ?? 500, 'Internal Server Error'));
	}

	private finish(res: http.ServerResponse, entry: CallLogEntry, reply: HttpReply): void {
		entry.status = reply.status;
		this.send(res, reply);
	}

	private send(res: http.ServerResponse, reply: HttpReply): void {
		if (res.writableEnded || res.destroyed) return;
		const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
		res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', ...reply.headers });
		res.end(text);
	}

	// ---------- routes ----------

	private api(method: string, url: URL, raw: string, entry: CallLogEntry): HttpReply {
		const path = url.pathname.replace(/\/+$/, '');
		if (method === 'GET' && path === '/api/v1/accounts/region') {
			return new HttpReply(200, { url: this.url, region: this.options.region, environment_id: this.options.environmentId });
		}
		if (method === 'POST' && path === '/api/v2/batch') return this.batch(raw, entry);
		if (method === 'POST' && path === '/api/v2/entity') return this.entity(raw, entry);
		let body: unknown = {};
		if (raw.trim() !== '') {
			try {
				body = JSON.parse(raw);
			} catch {
				return v1Error(400, 'request body must be valid JSON');
			}
		}
		if (method === 'POST' && path === '/api/v1/events') return this.v1Anonymous(body, entry);
		if (method === 'POST' && path === '/api/v1/merge_customers') {
			entry.operations = 1;
			const error = this.merge(body);
			return error ? v1Error(400, error.message) : new HttpReply(200, {});
		}
		const match = /^\/api\/v1\/customers\/([^/]+)(?:\/(events|suppress|unsuppress))?$/.exec(path);
		if (match) {
			entry.operations = 1;
			const ref = refFromPath(decodeURIComponent(match[1]));
			if (!ref) return v1Error(400, 'identifier must not be empty');
			const sub = match[2];
			if (method === 'PUT' && !sub) {
				if (!isObject(body)) return v1Error(400, 'request body must be a JSON object');
				const { _timestamp, ...attributes } = body;
				const error = this.identify(ref, attributes, typeof _timestamp === 'number' ? _timestamp : null);
				return error ? v1Error(400, error.message) : new HttpReply(200, {});
			}
			if (method === 'DELETE' && !sub) {
				this.remove(ref);
				return new HttpReply(200, {});
			}
			if (method === 'POST' && sub === 'events') {
				if (!isObject(body)) return v1Error(400, 'request body must be a JSON object');
				const error = this.event(ref, null, body.name, body.id, body.timestamp, body.data === undefined ? {} : body.data, 'v1');
				return error ? v1Error(400, error.message) : new HttpReply(200, {});
			}
			if (method === 'POST' && sub === 'suppress') {
				this.suppress(ref);
				return new HttpReply(200, {});
			}
			if (method === 'POST' && sub === 'unsuppress') {
				this.unsuppress(ref);
				return new HttpReply(200, {});
			}
		}
		return v1Error(404, `no route ${method} ${url.pathname}`);
	}

	private v1Anonymous(body: unknown, entry: CallLogEntry): HttpReply {
		entry.operations = 1;
		if (!isObject(body)) return v1Error(400, 'request body must be a JSON object');
		const anonymousId = body.anonymous_id === undefined || body.anonymous_id === null ? null : String(body.anonymous_id);
		const error = this.event(null, anonymousId, body.name, body.id, body.timestamp, body.data === undefined ? {} : body.data, 'v1 anonymous');
		return error ? v1Error(400, error.message) : new HttpReply(200, {});
	}

	private entity(raw: string, entry: CallLogEntry): HttpReply {
		entry.operations = 1;
		if (bytes(raw) > this.options.maxOperationBytes) {
			return new HttpReply(413, { errors: [{ reason: 'too_large', field: '', message: `request must be ${this.options.maxOperationBytes} bytes or smaller` }] });
		}
		let body: unknown;
		try {
			body = JSON.parse(raw);
		} catch {
			return new HttpReply(400, { errors: [{ reason: 'invalid', field: '', message: 'request body must be valid JSON' }] });
		}
		const error = this.operation(body);
		return error ? new HttpReply(400, { errors: [error] }) : new HttpReply(200, {});
	}

	private batch(raw: string, entry: CallLogEntry): HttpReply {
		if (bytes(raw) > this.options.maxBatchBytes) {
			return new HttpReply(413, { errors: [{ reason: 'too_large', field: '', message: `batch request must be ${this.options.maxBatchBytes} bytes or smaller` }] });
		}
		let body: unknown;
		try {
			body = JSON.parse(raw);
		} catch {
			return new HttpReply(400, { errors: [{ reason: 'invalid', field: '', message: 'request body must be valid JSON' }] });
		}
		const batch = isObject(body) ? body.batch : undefined;
		if (!Array.isArray(batch)) return new HttpReply(400, { errors: [{ reason: 'required', field: 'batch', message: 'batch must be an array of operations' }] });
		entry.operations = batch.length;
		const errors: Array<ApiError & { batch_index: number }> = [];
		batch.forEach((operation, index) => {
			const size = bytes(JSON.stringify(operation));
			const error: ApiError | null = size > this.options.maxOperationBytes ? { reason: 'too_large', field: '', message: `each operation must be ${this.options.maxOperationBytes} bytes or smaller (this one is ${size})` } : this.operation(operation);
			if (error) errors.push({ batch_index: index, ...error });
		});
		return errors.length > 0 ? new HttpReply(207, { errors }) : new HttpReply(200, {});
	}

	/** Validates and applies one v2 operation; returns its error, if any. */
	private operation(op: unknown): ApiError | null {
		if (!isObject(op)) return { reason: 'invalid', field: '', message: 'operation must be an object' };
		if (op.type !== 'person') return { reason: 'invalid', field: 'type', message: 'this contract server supports type "person" only' };
		const action = op.action;
		if (action === 'merge') return this.merge(op);
		const ref = refFromIdentifiers(op.identifiers);
		if ('error' in ref) return ref.error;
		switch (action) {
			case 'identify': {
				if (op.attributes !== undefined && !isObject(op.attributes)) return { reason: 'invalid', field: 'attributes', message: 'attributes must be an object' };
				if (op.timestamp !== undefined && !Number.isInteger(op.timestamp)) return { reason: 'invalid', field: 'timestamp', message: 'timestamp must be an integer Unix timestamp' };
				return this.identify(ref, (op.attributes as Record<string, unknown>) ?? {}, typeof op.timestamp === 'number' ? op.timestamp : null);
			}
			case 'event':
				return this.event(ref, null, op.name, op.id, op.timestamp, op.attributes === undefined ? {} : op.attributes, 'v2');
			case 'delete':
				this.remove(ref);
				return null;
			case 'suppress':
				this.suppress(ref);
				return null;
			case 'unsuppress':
				this.unsuppress(ref);
				return null;
			default:
				return { reason: 'invalid', field: 'action', message: `action ${JSON.stringify(action)} is not supported for type person by this contract server` };
		}
	}

	// ---------- behaviour ----------

	private lookup(ref: Ref): Person | null {
		const cio = ref.type === 'cio_id' ? ref.value : ref.type === 'id' ? this.byId.get(ref.value) : this.byEmail.get(ref.value.toLowerCase());
		return cio ? (this.people.get(cio) ?? null) : null;
	}

	private isSuppressed(ref: Ref): boolean {
		return ref.type !== 'cio_id' && this.suppressed.has(suppressionKey(ref));
	}

	private createPerson(id: string | null, email: string | null, attributes: Record<string, unknown>, timestamp: number | null, createdBy: Person['created_by']): Person {
		const now = Math.floor(Date.now() / 1000);
		const person: Person = { cio_id: `${(++this.cioCounter).toString(16).padStart(8, '0')}`, id, email: email ? email.toLowerCase() : null, attributes: {}, created_at: now, updated_at: now, attributes_timestamp: timestamp, created_by: createdBy };
		for (const [k, v] of Object.entries(attributes)) if (v !== '' && v !== null && k !== 'id' && k !== 'email') person.attributes[k] = v;
		this.people.set(person.cio_id, person);
		if (id) this.byId.set(id, person.cio_id);
		if (person.email) this.byEmail.set(person.email, person.cio_id);
		return person;
	}

	private validateAttributes(attributes: Record<string, unknown>): ApiError | null {
		const names = Object.keys(attributes);
		if (names.length > MAX_ATTRIBUTES) return { reason: 'invalid', field: 'attributes', message: `cannot identify more than ${MAX_ATTRIBUTES} attributes in one request` };
		for (const name of names) {
			if (bytes(name) > MAX_ATTRIBUTE_NAME_BYTES) return { reason: 'invalid', field: `attributes.${name}`, message: `attribute name cannot be longer than ${MAX_ATTRIBUTE_NAME_BYTES} bytes` };
			const value = attributes[name];
			const size = typeof value === 'string' ? bytes(value) : bytes(JSON.stringify(value) ?? '');
			if (size > MAX_ATTRIBUTE_VALUE_BYTES) return { reason: 'invalid', field: `attributes.${name}`, message: `value for attribute '${name}' cannot be longer than ${MAX_ATTRIBUTE_VALUE_BYTES} bytes` };
		}
		if (attributes.id !== undefined && attributes.id !== null && attributes.id !== '') {
			if (typeof attributes.id !== 'string') return { reason: 'invalid', field: 'attributes.id', message: 'id attribute must be a string value' };
			if (bytes(attributes.id) > MAX_ID_BYTES) return { reason: 'invalid', field: 'attributes.id', message: `id cannot be longer than ${MAX_ID_BYTES} bytes` };
		}
		return null;
	}

	private identify(ref: Ref, attributes: Record<string, unknown>, timestamp: number | null): ApiError | null {
		const invalid = this.validateAttributes(attributes);
		if (invalid) return invalid;
		if (this.isSuppressed(ref)) {
			this.ignored.push({ reason: 'suppressed', ref: suppressionKey(ref) });
			return null;
		}
		const bodyId = typeof attributes.id === 'string' && attributes.id !== '' ? attributes.id : null;
		const bodyEmail = typeof attributes.email === 'string' && attributes.email !== '' ? attributes.email.toLowerCase() : null;
		let person = this.lookup(ref);
		if (!person) {
			if (ref.type === 'cio_id') {
				this.ignored.push({ reason: 'unknown cio_id', ref: ref.value });
				return null;
			}
			// The body's other identifier may belong to an existing person: that person gets the path identifier.
			const other = (bodyId && ref.type !== 'id' ? this.lookup({ type: 'id', value: bodyId }) : null) ?? (bodyEmail && ref.type !== 'email' ? this.lookup({ type: 'email', value: bodyEmail }) : null);
			if (other) {
				person = other;
				this.setIdentifier(person, ref.type as 'id' | 'email', ref.value);
			} else if (attributes._update === true) {
				this.ignored.push({ reason: '_update and no such person', ref: `${ref.type}:${ref.value}` });
				return null;
			} else {
				const id = ref.type === 'id' ? ref.value : bodyId;
				const email = ref.type === 'email' ? ref.value : bodyEmail;
				if (id && this.byId.has(id)) return null;
				if (email && this.byEmail.has(email.toLowerCase())) return null;
				if ((id && this.suppressed.has(`id:${id}`)) || (email && this.suppressed.has(`email:${email.toLowerCase()}`))) {
					this.ignored.push({ reason: 'suppressed', ref: `${ref.type}:${ref.value}` });
					return null;
				}
				this.createPerson(id, email, attributes, timestamp, 'identify');
				return null;
			}
		}
		if (timestamp !== null && person.attributes_timestamp !== null && timestamp < person.attributes_timestamp) {
			this.ignored.push({ reason: 'older timestamp than the last update', ref: person.cio_id });
			return null;
		}
		for (const [name, value] of [['id', bodyId], ['email', bodyEmail]] as Array<['id' | 'email', string | null]>) {
			if (value === null || person[name] === value || (name === 'email' && person.email === value.toLowerCase())) continue;
			const owner = this.lookup({ type: name, value });
			if (owner && owner.cio_id !== person.cio_id) {
				this.attributeUpdateFailures.push({ person: person.cio_id, attribute: name, message: `${name} ${value} belongs to another person` });
				continue;
			}
			if (person[name] !== null && ref.type !== 'cio_id') {
				this.attributeUpdateFailures.push({ person: person.cio_id, attribute: name, message: `${name} is already set; reference the person by cio_id to change it` });
				continue;
			}
			this.setIdentifier(person, name, value);
		}
		for (const [name, value] of Object.entries(attributes)) {
			if (name === 'id' || name === 'email' || name === '_update' || name === 'cio_relationships') continue;
			if (value === '' || value === null) delete person.attributes[name];
			else person.attributes[name] = value;
		}
		person.updated_at = Math.floor(Date.now() / 1000);
		if (timestamp !== null) person.attributes_timestamp = timestamp;
		return null;
	}

	private setIdentifier(person: Person, type: 'id' | 'email', value: string): void {
		if (type === 'id') {
			if (person.id) this.byId.delete(person.id);
			person.id = value;
			this.byId.set(value, person.cio_id);
		} else {
			if (person.email) this.byEmail.delete(person.email);
			person.email = value.toLowerCase();
			this.byEmail.set(person.email, person.cio_id);
		}
	}

	private event(ref: Ref | null, anonymousId: string | null, name: unknown, id: unknown, timestamp: unknown, data: unknown, via: string): ApiError | null {
		if (typeof name !== 'string' || name.trim() === '') return { reason: 'required', field: 'name', message: 'event name must not be blank' };
		const trimmed = name.trim();
		if (bytes(trimmed) > MAX_EVENT_NAME_BYTES) return { reason: 'invalid', field: 'name', message: `event name cannot be longer than ${MAX_EVENT_NAME_BYTES} bytes` };
		if (!isObject(data)) return { reason: 'invalid', field: 'data', message: 'event data must be a hash (e.g., send "data":{} instead of "data":"")' };
		if (bytes(JSON.stringify(data)) > MAX_EVENT_DATA_BYTES) return { reason: 'invalid', field: 'data', message: `event data cannot be longer than ${MAX_EVENT_DATA_BYTES} bytes` };
		if (id !== undefined && id !== null && (typeof id !== 'string' || !ULID.test(id))) return { reason: 'invalid', field: 'id', message: 'id must be a valid ULID' };
		if (timestamp !== undefined && timestamp !== null && (!Number.isInteger(timestamp) || (timestamp as number) < 0 || (timestamp as number) > 1e11)) {
			return { reason: 'invalid', field: 'timestamp', message: 'timestamp must be a Unix timestamp in seconds' };
		}
		if (ref && this.isSuppressed(ref)) {
			this.ignored.push({ reason: 'suppressed', ref: suppressionKey(ref) });
			return null;
		}
		if (typeof id === 'string') {
			if (this.eventIds.has(id)) {
				this.duplicateEvents.push({ id, name: trimmed });
				return null;
			}
			this.eventIds.add(id);
		}
		let person: Person | null = null;
		if (ref) {
			person = this.lookup(ref);
			if (!person) {
				if (ref.type === 'cio_id') {
					this.ignored.push({ reason: 'unknown cio_id', ref: ref.value });
					return null;
				}
				person = this.createPerson(ref.type === 'id' ? ref.value : null, ref.type === 'email' ? ref.value : null, {}, null, 'event');
			}
		}
		this.storedEvents.push({
			seq: this.storedEvents.length + 1,
			person: person ? person.cio_id : null,
			anonymous_id: anonymousId,
			name: trimmed,
			id: typeof id === 'string' ? id : null,
			timestamp: typeof timestamp === 'number' ? timestamp : null,
			data: data as Record<string, unknown>,
			via,
			received_at: new Date().toISOString(),
		});
		return null;
	}

	private remove(ref: Ref): void {
		const person = this.lookup(ref);
		if (!person) return;
		this.people.delete(person.cio_id);
		if (person.id) this.byId.delete(person.id);
		if (person.email) this.byEmail.delete(person.email);
		this.deletedPeople++;
	}

	private suppress(ref: Ref): void {
		const person = this.lookup(ref);
		const keys = person ? [person.id ? `id:${person.id}` : null, person.email ? `email:${person.email}` : null].filter((k): k is string => k !== null) : ref.type === 'cio_id' ? [] : [suppressionKey(ref)];
		for (const key of keys) this.suppressed.set(key, keys);
		if (person) this.remove(ref);
	}

	private unsuppress(ref: Ref): void {
		if (ref.type === 'cio_id') return;
		const keys = this.suppressed.get(suppressionKey(ref));
		for (const key of keys ?? []) this.suppressed.delete(key);
	}

	private merge(body: unknown): ApiError | null {
		if (!isObject(body)) return { reason: 'invalid', field: '', message: 'request body must be a JSON object' };
		const primary = refFromIdentifiers(body.primary, 'primary');
		if ('error' in primary) return primary.error;
		const secondary = refFromIdentifiers(body.secondary, 'secondary');
		if ('error' in secondary) return secondary.error;
		const p = this.lookup(primary);
		const s = this.lookup(secondary);
		if (!p || !s || p.cio_id === s.cio_id) {
			this.ignored.push({ reason: !p ? 'merge: primary does not exist' : !s ? 'merge: secondary does not exist' : 'merge: same person', ref: `${primary.type}:${primary.value}` });
			return null;
		}
		for (const [name, value] of Object.entries(s.attributes)) if (p.attributes[name] === undefined || p.attributes[name] === '') p.attributes[name] = value;
		for (const event of this.storedEvents) if (event.person === s.cio_id) event.person = p.cio_id;
		this.people.delete(s.cio_id);
		if (s.id) this.byId.delete(s.id);
		if (s.email) this.byEmail.delete(s.email);
		if (!p.id && s.id) this.setIdentifier(p, 'id', s.id);
		if (!p.email && s.email) this.setIdentifier(p, 'email', s.email);
		this.merges.push({ primary: p.cio_id, secondary: s.cio_id });
		return null;
	}

	// ---------- control over HTTP ----------

	private control(method: string, url: URL, raw: string): HttpReply {
		const action = url.pathname.slice('/__control/'.length).replace(/\/+$/, '');
		let body: Record<string, unknown> = {};
		try {
			body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
		} catch {
			return new HttpReply(400, { error: 'control body must be JSON' });
		}
		switch (`${method} ${action}`) {
			case 'GET health':
				return new HttpReply(200, { ok: true, url: this.url });
			case 'POST reset':
				this.reset();
				return new HttpReply(200, { ok: true });
			case 'GET state':
				return new HttpReply(200, this.state());
			case 'GET counts':
				return new HttpReply(200, this.counts());
			case 'GET people': {
				const email = url.searchParams.get('email');
				const id = url.searchParams.get('id');
				if (email !== null || id !== null) return new HttpReply(200, { person: this.findPerson(email !== null ? { email } : { id: id! }) });
				return new HttpReply(200, { people: this.listPeople() });
			}
			case 'POST people':
				return new HttpReply(200, { people: this.seedPeople((body.people as Array<{ id?: string; email?: string; attributes?: Record<string, unknown> }>) ?? []) });
			case 'GET events':
				return new HttpReply(200, { events: this.listEvents({ name: url.searchParams.get('name') ?? undefined }) });
			case 'POST faults':
				this.setFaults(body.rate === undefined ? null : (body as unknown as FaultConfig));
				if (Array.isArray(body.scripted)) this.scriptFaults(body.scripted as ScriptedFault[]);
				return new HttpReply(200, { ok: true, faults: this.faults.config, scripted: this.faults.scripted.length });
			case 'DELETE faults':
				this.setFaults(null);
				this.faults.clear();
				return new HttpReply(200, { ok: true });
			case 'POST config':
				this.configure(body as Parameters<CustomerIoContractServer['configure']>[0]);
				return new HttpReply(200, { ok: true, options: { ...this.options, apiKey: '***' } });
			case 'GET calls':
				return new HttpReply(200, this.callLog());
			case 'DELETE calls':
				this.clearCalls();
				return new HttpReply(200, { ok: true });
			default:
				return new HttpReply(404, { error: `unknown control action ${method} ${action}` });
		}
	}
}

function suppressionKey(ref: Ref): string {
	return ref.type === 'email' ? `email:${ref.value.toLowerCase()}` : `${ref.type}:${ref.value}`;
}

/** A v1 path identifier: `cio_<value>`, an email (contains "@"), or an id. */
function refFromPath(segment: string): Ref | null {
	const value = segment.trim();
	if (value === '') return null;
	if (value.startsWith('cio_')) return { type: 'cio_id', value: value.slice(4) };
	if (value.includes('@')) return { type: 'email', value: value.toLowerCase() };
	return { type: 'id', value };
}

/** v2 `identifiers` (or merge's `primary`/`secondary`): exactly one of id, email, cio_id. */
function refFromIdentifiers(value: unknown, field = 'identifiers'): Ref | { error: ApiError } {
	if (!isObject(value)) return { error: { reason: 'required', field, message: `${field} must be an object with one of id, email or cio_id` } };
	const keys = Object.keys(value).filter((k) => (value as Identifiers)[k as keyof Identifiers] !== undefined);
	const known = keys.filter((k) => k === 'id' || k === 'email' || k === 'cio_id');
	if (known.length !== 1 || keys.length !== 1) return { error: { reason: 'invalid', field, message: `${field} must contain exactly one of id, email or cio_id — you cannot pass multiple identifiers` } };
	const type = known[0] as Ref['type'];
	const raw = (value as Identifiers)[type];
	if (typeof raw !== 'string' || raw.trim() === '') return { error: { reason: 'invalid', field: `${field}.${type}`, message: `${type} must be a non-empty string` } };
	if (type === 'id' && bytes(raw) > MAX_ID_BYTES) return { error: { reason: 'invalid', field: `${field}.id`, message: `id cannot be longer than ${MAX_ID_BYTES} bytes` } };
	if (type === 'email' && !/^[^@\s]+@[^@\s]+$/.test(raw)) return { error: { reason: 'invalid', field: `${field}.email`, message: 'email must be an email address' } };
	return { type, value: type === 'email' ? raw.trim().toLowerCase() : raw };
}

/** The call's route with identifiers generalised, e.g. "POST /api/v1/customers/{identifier}/events". */
export function routeOf(method: string, pathname: string): string {
	const path = pathname.replace(/\/+$/, '');
	const match = /^\/api\/v1\/customers\/[^/]+(\/.*)?$/.exec(path);
	if (match) return `${method} /api/v1/customers/{identifier}${match[1] ?? ''}`;
	return `${method} ${path}`;
}

function readBody(req: http.IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** Starts a contract server on 127.0.0.1 (port 0 = any free port) and returns it, listening. */
export async function startCustomerIoServer(options: CustomerIoServerOptions = {}): Promise<CustomerIoContractServer> {
	const server = new CustomerIoContractServer(options);
	await server.listen();
	return server;
}

if (require.main === module || process.argv[1] === __filename) {
	runStandalone(
		(args) => {
			const num = (name: string) => (argValue(args, name) === undefined ? undefined : Number(argValue(args, name)));
			return startCustomerIoServer({
				port: num('port') ?? 0,
				host: argValue(args, 'host') ?? '127.0.0.1',
				latencyMs: num('latency'),
				rateLimitPerSecond: num('rate'),
				siteId: argValue(args, 'site-id'),
				apiKey: argValue(args, 'api-key'),
			});
		},
		(server) => [
			`Customer.io Track contract server listening on ${server.url}`,
			JSON.stringify({ url: server.url, siteId: server.options.siteId, apiKey: server.options.apiKey, region: 'custom', customUrl: server.url }),
		],
	);
}
