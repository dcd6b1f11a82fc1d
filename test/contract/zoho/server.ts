/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * A contract-faithful Zoho CRM (API v8) for tests, benchmarks and the real-n8n e2e suite.
 *
 * It keeps records per module and behaves as Zoho documents:
 * - Upsert: POST /crm/v8/{module}/upsert — https://www.zoho.com/crm/developer/docs/api/v8/upsert-records.html
 *   matches on `duplicate_check_fields` in order (default: the module's system-defined field, then the
 *   user-defined unique fields); more than one existing match → DUPLICATE_DATA with more_records;
 *   at most 100 records (101 → 400 LIMIT_EXCEEDED); per-record results in `data[]`, HTTP 200 when all
 *   succeed, 207 when mixed, 400 when all fail (zoho/crm-oas v8.0 record/operations/upsertRecords).
 * - Insert (POST /crm/v8/{module}) and update by id (PUT /crm/v8/{module}) with the same validation.
 * - Validation: mandatory fields on create (MANDATORY_NOT_FOUND), types and lengths (INVALID_DATA with
 *   api_name/json_path/expected_data_type), lookups that must exist (INVALID_DATA), user-defined unique
 *   fields (DUPLICATE_DATA). Unknown field API names are ignored, as Zoho does; the call log lists them.
 * - Get Records with If-Modified-Since, page/per_page (max 200, pages up to 2,000 records) and
 *   page_token beyond — https://www.zoho.com/crm/developer/docs/api/v8/get-records.html
 * - Search Records (criteria/email/phone/word, 2,000 results max) —
 *   https://www.zoho.com/crm/developer/docs/api/v8/search-records.html
 * - COQL (the subset in coql.ts) — https://www.zoho.com/crm/developer/docs/api/v8/COQL-Overview.html
 * - Modules and fields metadata — https://www.zoho.com/crm/developer/docs/api/v8/modules-api.html,
 *   https://www.zoho.com/crm/developer/docs/api/v8/field-meta.html
 * - OAuth: POST /oauth/v2/token with grant_type=refresh_token returns access_token, expires_in and
 *   api_domain (this server's URL) — https://www.zoho.com/accounts/protocol/oauth/web-apps/access-token-expiry.html;
 *   API calls take `Authorization: Zoho-oauthtoken <token>` or `Bearer <token>`
 *   (https://www.zoho.com/accounts/protocol/oauth/use-access-token.html); an unknown or expired token
 *   gets 401 INVALID_TOKEN (https://www.zoho.com/crm/developer/docs/api/v8/status-codes.html).
 * - 429 TOO_MANY_REQUESTS when more calls are in flight than the concurrency limit (Zoho's limit per
 *   edition: https://www.zoho.com/crm/developer/docs/api/v8/api-limits.html).
 *
 * For fault testing: a seeded share of calls fails with 5xx, 429 or a dropped connection, either before
 * the call does anything or AFTER its writes are committed (the case that makes exactly-once hard).
 * Control API under /__control/ (reset, state, records, faults, config, tokens, calls, clock, modules).
 *
 * Standalone: node scripts/run-ts.js test/contract/zoho/server.ts --port 8787 [--latency 100] [--concurrency 10]
 */
import http from 'node:http';

import { CoqlError, columnValue, matches, parseCoql } from './coql';
import type { FieldDef, ModuleDef } from './org';
import { defaultOrg } from './org';
import { ContractHttpServer, HttpReply, argValue, runStandalone } from '../httpServer';
import { type BaseFaultConfig, type FaultKind, type FaultPhase, FaultPlan, type ScriptedFault } from '../faults';

export type { FaultKind, FaultPhase, ScriptedFault } from '../faults';

/** Routes look like "POST /crm/v8/{module}/upsert". */
export interface FaultConfig extends BaseFaultConfig {
	/** Of the faulted write calls, the share whose fault comes after the write is committed (default 0.5). */
	afterCommitShare?: number;
	/** Also fault the token endpoint (default false). */
	includeTokenEndpoint?: boolean;
}

export interface ZohoServerOptions {
	port?: number;
	host?: string;
	latencyMs?: number;
	/** Calls in flight before 429 (default 25, the Ultimate edition's limit). */
	concurrencyLimit?: number;
	requireAuth?: boolean;
	clientId?: string;
	clientSecret?: string;
	accessToken?: string;
	refreshToken?: string;
	/** Lifetime of tokens issued by the token endpoint (default 3600 s). The initial access token does not expire unless told to. */
	tokenTtlSeconds?: number;
	faults?: FaultConfig | null;
	org?: ModuleDef[];
	quiet?: boolean;
}

export interface CallLogEntry {
	seq: number;
	method: string;
	path: string;
	route: string;
	module: string | null;
	status: number | null;
	fault: { kind: FaultKind; phase: FaultPhase } | null;
	records: number;
	ignoredFields: string[];
	at: string;
}

type StoredRecord = Record<string, unknown> & { id: string };

/** Fixed, public test values of this local server (not secrets): tests and the e2e suite use them. */
export const DEFAULT_CREDENTIALS = {
	clientId: '1000.TESTCLIENTID',
	clientSecret: 'test-client-secret',
	// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a fixture token of the local contract server
	accessToken: '1000.test-access-token',
	// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a fixture token of the local contract server
	refreshToken: '1000.test-refresh-token',
};

const OWNER = { name: 'Contract Server', id: '5725767000000411001', email: 'owner@example.com' };
const API_PREFIX = '/crm/v8';

function zohoTime(millis: number): string {
	return new Date(Math.floor(millis / 1000) * 1000).toISOString().replace('.000Z', '+00:00');
}

function keyOf(value: unknown): string | null {
	if (value === undefined || value === null) return null;
	if (typeof value === 'object' && !Array.isArray(value)) return keyOf((value as { id?: unknown }).id);
	const text = String(value).trim().toLowerCase();
	return text === '' ? null : text;
}

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const DEFAULT_LENGTH: Partial<Record<FieldDef['data_type'], number>> = { text: 255, email: 100, phone: 30, website: 255, textarea: 32000, picklist: 255 };

const error = (status: number, code: string, message: string, details: Record<string, unknown> = {}) => new HttpReply(status, { code, details, message, status: 'error' });

export class ZohoContractServer extends ContractHttpServer {
	readonly options: Required<Omit<ZohoServerOptions, 'faults' | 'org' | 'port' | 'host'>> & Pick<ZohoServerOptions, 'port' | 'host'>;
	private modules = new Map<string, ModuleDef>();
	private records = new Map<string, Map<string, StoredRecord>>();
	/** module → field → case-folded value → record ids, for the duplicate-check and unique fields. */
	private indexes = new Map<string, Map<string, Map<string, Set<string>>>>();
	private idCounter = 0;
	private calls: CallLogEntry[] = [];
	private accessTokens = new Map<string, { expiresAt: number | null; refreshToken: string | null }>();
	private refreshTokens = new Map<string, { clientId: string; clientSecret: string }>();
	private tokenCounter = 0;
	private readonly faults = new FaultPlan<FaultConfig>((config) => config.afterCommitShare);
	private inFlight = 0;
	private maxInFlight = 0;
	private clockOffsetMs = 0;
	private readonly initialOrg: ModuleDef[];
	private readonly initialOptions: ZohoContractServer['options'];

	constructor(options: ZohoServerOptions = {}) {
		super();
		this.options = {
			port: options.port,
			host: options.host ?? '127.0.0.1',
			latencyMs: options.latencyMs ?? 0,
			concurrencyLimit: options.concurrencyLimit ?? 25,
			requireAuth: options.requireAuth ?? true,
			clientId: options.clientId ?? DEFAULT_CREDENTIALS.clientId,
			clientSecret: options.clientSecret ?? DEFAULT_CREDENTIALS.clientSecret,
			accessToken: options.accessToken ?? DEFAULT_CREDENTIALS.accessToken,
			refreshToken: options.refreshToken ?? DEFAULT_CREDENTIALS.refreshToken,
			tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
			quiet: options.quiet ?? true,
		};
		this.initialOrg = options.org ?? defaultOrg();
		this.initialOptions = { ...this.options };
		this.reset();
		if (options.faults) this.setFaults(options.faults);
	}

	protected listenAddress(): { host: string; port: number | undefined } {
		return { host: this.options.host ?? '127.0.0.1', port: this.options.port };
	}

	// ---------- control (also reachable over HTTP under /__control/) ----------

	/** Back to the start: the initial org and options, no records, no calls, no faults, fresh tokens. */
	reset(): void {
		Object.assign(this.options, this.initialOptions ?? {});
		this.modules = new Map(this.initialOrg.map((m) => [m.api_name, JSON.parse(JSON.stringify(m)) as ModuleDef]));
		this.records = new Map(Array.from(this.modules.keys()).map((name) => [name, new Map()]));
		this.indexes = new Map();
		this.idCounter = 0;
		this.calls = [];
		this.accessTokens = new Map([[this.options.accessToken, { expiresAt: null, refreshToken: this.options.refreshToken }]]);
		this.refreshTokens = new Map([[this.options.refreshToken, { clientId: this.options.clientId, clientSecret: this.options.clientSecret }]]);
		this.faults.clear();
		this.inFlight = 0;
		this.maxInFlight = 0;
		this.clockOffsetMs = 0;
	}

	setFaults(config: FaultConfig | null): void {
		this.faults.set(config);
	}

	scriptFaults(faults: ScriptedFault[]): void {
		this.faults.script(faults);
	}

	configure(config: { latencyMs?: number; concurrencyLimit?: number; tokenTtlSeconds?: number; requireAuth?: boolean }): void {
		for (const [key, value] of Object.entries(config)) if (value !== undefined) (this.options as Record<string, unknown>)[key] = value;
	}

	/** Expires one access token, or all of them; the next call with it gets 401 INVALID_TOKEN. */
	expireTokens(token?: string): number {
		let count = 0;
		for (const [access, info] of this.accessTokens) {
			if (token && access !== token) continue;
			info.expiresAt = 0;
			count++;
		}
		return count;
	}

	addModule(def: ModuleDef): void {
		this.modules.set(def.api_name, def);
		if (!this.records.has(def.api_name)) this.records.set(def.api_name, new Map());
	}

	advanceClock(ms: number): void {
		this.clockOffsetMs += ms;
	}

	now(): number {
		return Date.now() + this.clockOffsetMs;
	}

	/** Stores records as given (no validation), e.g. to set up duplicates that upsert must refuse. */
	seed(module: string, records: Array<Record<string, unknown>>): StoredRecord[] {
		const store = this.store(module);
		return records.map((input) => {
			const now = zohoTime(this.now());
			const record: StoredRecord = { Owner: OWNER, Created_Time: now, Modified_Time: now, ...input, id: typeof input.id === 'string' ? input.id : this.nextId() };
			store.set(record.id, record);
			this.index(module, record, 'add');
			return record;
		});
	}

	list(module: string): StoredRecord[] {
		return Array.from(this.store(module).values()).map((r) => JSON.parse(JSON.stringify(r)) as StoredRecord);
	}

	state(): { records: Record<string, StoredRecord[]>; counts: Record<string, number>; maxInFlight: number } {
		const records: Record<string, StoredRecord[]> = {};
		const counts: Record<string, number> = {};
		for (const name of this.records.keys()) {
			records[name] = this.list(name);
			counts[name] = records[name].length;
		}
		return { records, counts, maxInFlight: this.maxInFlight };
	}

	callLog(): { calls: CallLogEntry[]; counts: Record<string, number>; faults: number; maxInFlight: number } {
		const counts: Record<string, number> = {};
		for (const call of this.calls) counts[call.route] = (counts[call.route] ?? 0) + 1;
		return { calls: this.calls.map((c) => ({ ...c })), counts, faults: this.calls.filter((c) => c.fault).length, maxInFlight: this.maxInFlight };
	}

	/** Calls of one route, e.g. count('POST /crm/v8/{module}/upsert', 'Contacts'). */
	count(route: string, module?: string): number {
		return this.calls.filter((c) => c.route === route && (module === undefined || c.module === module)).length;
	}

	clearCalls(): void {
		this.calls = [];
		this.maxInFlight = 0;
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
		const isToken = url.pathname === '/oauth/v2/token';
		const route = isToken ? 'POST /oauth/v2/token' : routeOf(req.method ?? 'GET', url.pathname);
		const moduleName = isToken ? null : moduleOf(url.pathname);
		const entry: CallLogEntry = { seq: this.calls.length + 1, method: req.method ?? 'GET', path: url.pathname + url.search, route, module: moduleName, status: null, fault: null, records: 0, ignoredFields: [], at: new Date(this.now()).toISOString() };
		this.calls.push(entry);
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		res.on('close', () => this.inFlight--);
		try {
			if (this.inFlight > this.options.concurrencyLimit) {
				// https://www.zoho.com/crm/developer/docs/api/v8/api-limits.html — concurrency per edition
				this.finish(res, entry, error(429, 'TOO_MANY_REQUESTS', 'concurrency limit exceeded; try again later', { concurrency_limit: this.options.concurrencyLimit }));
				return;
			}
			if (this.options.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
			const fault = this.faults.pick(route, { scripted: !isToken, drawn: !isToken || this.faults.config?.includeTokenEndpoint === true });
			if (fault?.phase === 'before' || (fault && !isWrite(route))) {
				entry.fault = { kind: fault.kind, phase: 'before' };
				this.applyFault(req, res, entry, fault.kind);
				return;
			}
			const reply = isToken ? this.token(req, url, raw) : this.api(req, url, raw, entry);
			if (fault) {
				// The write is committed; the client never learns the result.
				entry.fault = { kind: fault.kind, phase: 'after' };
				this.applyFault(req, res, entry, fault.kind);
				return;
			}
			this.finish(res, entry, reply);
		} catch (err) {
			this.finish(res, entry, error(500, 'INTERNAL_ERROR', `contract server bug: ${(err as Error).message}`));
		}
	}

	private applyFault(req: http.IncomingMessage, res: http.ServerResponse, entry: CallLogEntry, kind: FaultKind): void {
		if (kind === 'drop') {
			entry.status = null;
			req.socket.destroy();
			return;
		}
		if (kind === 'tooManyRequests') {
			this.finish(res, entry, new HttpReply(429, { code: 'TOO_MANY_REQUESTS', details: { retry_after: 0 }, message: 'too many requests', status: 'error' }, { 'Retry-After': '0' }));
			return;
		}
		this.finish(res, entry, error(500, 'INTERNAL_ERROR', 'Internal Server Error'));
	}

	private finish(res: http.ServerResponse, entry: CallLogEntry, reply: HttpReply): void {
		entry.status = reply.status;
		this.send(res, reply);
	}

	private send(res: http.ServerResponse, reply: HttpReply): void {
		if (res.writableEnded || res.destroyed) return;
		const headers: Record<string, string> = { ...reply.headers };
		if (reply.status === 204 || reply.status === 304 || reply.body === undefined) {
			res.writeHead(reply.status, headers);
			res.end();
			return;
		}
		const text = JSON.stringify(reply.body);
		headers['Content-Type'] = 'application/json;charset=UTF-8';
		res.writeHead(reply.status, headers);
		res.end(text);
	}

	// ---------- OAuth ----------

	private token(req: http.IncomingMessage, url: URL, raw: string): HttpReply {
		const params = new URLSearchParams(url.search);
		const type = req.headers['content-type'] ?? '';
		if (type.includes('application/x-www-form-urlencoded')) for (const [k, v] of new URLSearchParams(raw)) params.set(k, v);
		else if (type.includes('json') && raw) for (const [k, v] of Object.entries(JSON.parse(raw) as Record<string, string>)) params.set(k, String(v));
		const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
		if (basic) {
			const [id, secret] = Buffer.from(basic[1], 'base64').toString().split(':');
			params.set('client_id', decodeURIComponent(id));
			params.set('client_secret', decodeURIComponent(secret ?? ''));
		}
		// Zoho answers token errors with {"error": "invalid_code"}; the status follows RFC 6749 §5.2.
		if (params.get('grant_type') !== 'refresh_token') return new HttpReply(400, { error: 'unsupported_grant_type' });
		const refresh = this.refreshTokens.get(params.get('refresh_token') ?? '');
		if (!refresh) return new HttpReply(400, { error: 'invalid_code' });
		if (params.get('client_id') !== refresh.clientId || params.get('client_secret') !== refresh.clientSecret) return new HttpReply(400, { error: 'invalid_client' });
		const accessToken = `1000.issued-${++this.tokenCounter}-${Math.floor(this.faults.random() * 1e9).toString(16)}`;
		this.accessTokens.set(accessToken, { expiresAt: this.now() + this.options.tokenTtlSeconds * 1000, refreshToken: params.get('refresh_token') });
		return new HttpReply(200, { access_token: accessToken, scope: 'ZohoCRM.modules.ALL ZohoCRM.settings.ALL', api_domain: this.url, token_type: 'Bearer', expires_in: this.options.tokenTtlSeconds });
	}

	private authorized(req: http.IncomingMessage): HttpReply | null {
		if (!this.options.requireAuth) return null;
		const match = /^(?:Zoho-oauthtoken|Bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '');
		if (!match) return error(401, 'AUTHENTICATION_FAILURE', 'Authentication failed');
		const info = this.accessTokens.get(match[1]);
		if (!info || (info.expiresAt !== null && info.expiresAt <= this.now())) return error(401, 'INVALID_TOKEN', 'invalid oauth token');
		return null;
	}

	// ---------- API ----------

	private api(req: http.IncomingMessage, url: URL, raw: string, entry: CallLogEntry): HttpReply {
		const denied = this.authorized(req);
		if (denied) return denied;
		const method = req.method ?? 'GET';
		const path = url.pathname;
		if (!path.startsWith(`${API_PREFIX}/`)) return error(404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one');
		const parts = path.slice(API_PREFIX.length + 1).split('/').map(decodeURIComponent);
		let body: Record<string, unknown> = {};
		if (raw) {
			try {
				body = JSON.parse(raw) as Record<string, unknown>;
			} catch {
				return error(400, 'INVALID_DATA', 'body is not a valid JSON', {});
			}
		}
		if (parts[0] === 'settings' && parts[1] === 'modules' && method === 'GET') return this.modulesMeta();
		if (parts[0] === 'settings' && parts[1] === 'fields' && method === 'GET') return this.fieldsMeta(url.searchParams.get('module'));
		if (parts[0] === 'coql' && method === 'POST') return this.coql(body);
		const module = this.modules.get(parts[0]);
		if (!module) return error(400, 'INVALID_MODULE', 'the module name given seems to be invalid', { resource_path_index: 0 });
		if (parts.length === 2 && parts[1] === 'upsert' && method === 'POST') return this.write(module, body, 'upsert', entry);
		if (parts.length === 1 && method === 'POST') return this.write(module, body, 'insert', entry);
		if (parts.length === 1 && method === 'PUT') return this.write(module, body, 'update', entry);
		if (parts.length === 2 && parts[1] === 'search' && method === 'GET') return this.search(module, url.searchParams);
		if (parts.length === 1 && method === 'GET') return this.getRecords(module, url.searchParams, req.headers['if-modified-since']);
		if (parts.length === 2 && method === 'GET') {
			const record = this.store(module.api_name).get(parts[1]);
			return record ? new HttpReply(200, { data: [this.present(record)] }) : new HttpReply(204, undefined);
		}
		return error(400, 'INVALID_REQUEST_METHOD', 'The http request method type is not a valid one', { resource_path_index: 1 });
	}

	private store(module: string): Map<string, StoredRecord> {
		let store = this.records.get(module);
		if (!store) {
			store = new Map();
			this.records.set(module, store);
		}
		return store;
	}

	private indexedFields(module: string): string[] {
		const def = this.modules.get(module);
		if (!def) return [];
		return [def.systemDuplicateField, ...def.fields.filter((f) => f.unique).map((f) => f.api_name)];
	}

	/** Keeps the value index of the duplicate-check and unique fields in step with the records. */
	private index(module: string, record: StoredRecord, op: 'add' | 'remove'): void {
		let byField = this.indexes.get(module);
		if (!byField) this.indexes.set(module, (byField = new Map()));
		for (const field of this.indexedFields(module)) {
			const key = keyOf(record[field]);
			if (key === null) continue;
			let byKey = byField.get(field);
			if (!byKey) byField.set(field, (byKey = new Map()));
			const ids = byKey.get(key) ?? new Set<string>();
			if (op === 'add') ids.add(record.id);
			else ids.delete(record.id);
			if (ids.size > 0) byKey.set(key, ids);
			else byKey.delete(key);
		}
	}

	private findBy(module: string, field: string, key: string): StoredRecord[] {
		const store = this.store(module);
		const ids = this.indexes.get(module)?.get(field)?.get(key);
		if (this.indexedFields(module).includes(field)) return Array.from(ids ?? []).map((id) => store.get(id)!).filter(Boolean);
		return Array.from(store.values()).filter((r) => keyOf(r[field]) === key);
	}

	private nextId(): string {
		return `5725767${String(++this.idCounter).padStart(12, '0')}`;
	}

	private write(module: ModuleDef, body: Record<string, unknown>, mode: 'upsert' | 'insert' | 'update', entry: CallLogEntry): HttpReply {
		const data = body.data;
		if (!Array.isArray(data) || data.length === 0) return error(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'data' });
		entry.records = data.length;
		if (data.length > 100) {
			return new HttpReply(400, { data: [{ code: 'LIMIT_EXCEEDED', details: { maximum_length: 100, api_name: 'data' }, message: 'count of records in your request exceeds the limit', status: 'error' }] });
		}
		const uniqueFields = module.fields.filter((f) => f.unique).map((f) => f.api_name);
		let checkFields = [module.systemDuplicateField, ...uniqueFields];
		if (mode === 'upsert' && Array.isArray(body.duplicate_check_fields) && body.duplicate_check_fields.length > 0) {
			checkFields = body.duplicate_check_fields.map(String);
			const bad = checkFields.findIndex((f) => f !== module.systemDuplicateField && !uniqueFields.includes(f));
			if (bad >= 0) return error(400, 'INVALID_DATA', 'duplicate check field is not a unique field', { api_name: checkFields[bad], json_path: `$.duplicate_check_fields[${bad}]` });
		}
		const results = data.map((input, index) => this.writeOne(module, input, index, mode, checkFields, entry));
		const failures = results.filter((r) => r.status !== 'success').length;
		const status = failures === 0 ? (mode === 'insert' ? 201 : 200) : failures === results.length ? 400 : 207;
		return new HttpReply(status, { data: results });
	}

	private writeOne(module: ModuleDef, raw: unknown, index: number, mode: 'upsert' | 'insert' | 'update', checkFields: string[], entry: CallLogEntry): Record<string, unknown> {
		const input = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
		const store = this.store(module.api_name);
		let existing: StoredRecord | undefined;
		let duplicateField: string | null = null;
		if (mode === 'update') {
			if (isEmpty(input.id)) return recordError('MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'id', json_path: `$.data[${index}].id` });
			existing = store.get(String(input.id));
			if (!existing) return recordError('INVALID_DATA', 'the related id given seems to be invalid', { api_name: 'id', json_path: `$.data[${index}].id` });
		} else if (mode === 'upsert') {
			for (const field of checkFields) {
				const key = keyOf(input[field]);
				if (key === null) continue;
				const hits = this.findBy(module.api_name, field, key);
				if (hits.length > 1) {
					return recordError('DUPLICATE_DATA', 'duplicate data', { api_name: field, json_path: `$.data[${index}].${field}`, duplicate_record: { id: hits[0].id, Owner: OWNER, module: { api_name: module.api_name, id: '5725767000000002179' } }, more_records: true });
				}
				if (hits.length === 1) {
					existing = hits[0];
					duplicateField = field;
					break;
				}
			}
		}
		const clean: Record<string, unknown> = {};
		for (const [field, value] of Object.entries(input)) {
			if (field === 'id' || field === 'Layout' || field.startsWith('$')) continue;
			const def = module.fields.find((f) => f.api_name === field);
			if (!def) {
				if (!entry.ignoredFields.includes(field)) entry.ignoredFields.push(field);
				continue;
			}
			if (def.read_only) continue;
			const problem = this.validate(def, value, `$.data[${index}].${field}`);
			if (problem) return problem;
			clean[field] = this.stored(def, value);
		}
		const merged = { ...(existing ?? {}), ...clean };
		for (const def of module.fields.filter((f) => f.system_mandatory)) {
			if ((existing ? def.api_name in clean : true) && isEmpty(merged[def.api_name])) {
				return recordError('MANDATORY_NOT_FOUND', 'required field not found', { api_name: def.api_name, json_path: `$.data[${index}].${def.api_name}` });
			}
		}
		for (const field of module.fields.filter((f) => f.unique).map((f) => f.api_name)) {
			const key = keyOf(merged[field]);
			if (key === null) continue;
			const other = this.findBy(module.api_name, field, key).find((r) => r.id !== existing?.id);
			if (other) return recordError('DUPLICATE_DATA', 'duplicate data', { api_name: field, json_path: `$.data[${index}].${field}`, duplicate_record: { id: other.id, Owner: OWNER, module: { api_name: module.api_name, id: '5725767000000002179' } }, more_records: false });
		}
		const now = zohoTime(this.now());
		const who = { name: OWNER.name, id: OWNER.id };
		if (existing) {
			this.index(module.api_name, existing, 'remove');
			Object.assign(existing, clean, { Modified_Time: now, Modified_By: who });
		} else {
			existing = { ...clean, id: this.nextId(), Owner: OWNER, Created_Time: now, Modified_Time: now, Created_By: who, Modified_By: who };
			store.set(existing.id, existing);
		}
		this.index(module.api_name, existing, 'add');
		const action = mode === 'insert' || (mode === 'upsert' && duplicateField === null) ? 'insert' : 'update';
		const result: Record<string, unknown> = {
			code: 'SUCCESS',
			details: { Modified_Time: existing.Modified_Time, Modified_By: who, Created_Time: existing.Created_Time, id: existing.id, Created_By: existing.Created_By ?? who },
			message: action === 'insert' ? 'record added' : 'record updated',
			status: 'success',
		};
		if (mode === 'upsert') {
			result.duplicate_field = duplicateField;
			result.action = action;
		}
		return result;
	}

	private validate(def: FieldDef, value: unknown, jsonPath: string): Record<string, unknown> | null {
		if (value === null) return null;
		const invalid = (extra: Record<string, unknown> = {}, message = 'invalid data') => recordError('INVALID_DATA', message, { api_name: def.api_name, json_path: jsonPath, ...extra });
		switch (def.data_type) {
			case 'email':
				if (typeof value !== 'string' || (value !== '' && !EMAIL.test(value))) return invalid({ expected_data_type: 'email' });
				break;
			case 'currency':
			case 'double':
				if (typeof value !== 'number' || !Number.isFinite(value)) return invalid({ expected_data_type: 'double' });
				return null;
			case 'integer':
				if (typeof value !== 'number' || !Number.isInteger(value)) return invalid({ expected_data_type: 'integer' });
				return null;
			case 'boolean':
				if (typeof value !== 'boolean') return invalid({ expected_data_type: 'boolean' });
				return null;
			case 'date':
				if (typeof value !== 'string' || !DATE.test(value)) return invalid({ expected_data_type: 'date' });
				return null;
			case 'datetime':
				if (typeof value !== 'string' || !DATETIME.test(value)) return invalid({ expected_data_type: 'datetime' });
				return null;
			case 'lookup':
			case 'ownerlookup': {
				const id = value && typeof value === 'object' ? (value as { id?: unknown }).id : undefined;
				if (typeof id !== 'string' && typeof id !== 'number') return invalid({ expected_data_type: 'jsonobject' });
				if (def.lookupModule && !this.store(def.lookupModule).has(String(id))) return invalid({}, 'the related id given seems to be invalid');
				return null;
			}
			case 'subform': {
				if (!Array.isArray(value)) return invalid({ expected_data_type: 'jsonarray' });
				for (let row = 0; row < value.length; row++) {
					const cells = (value[row] ?? {}) as Record<string, unknown>;
					for (const sub of def.subformFields ?? []) {
						const path = `${jsonPath}[${row}].${sub.api_name}`;
						if (sub.system_mandatory && isEmpty(cells[sub.api_name])) return recordError('MANDATORY_NOT_FOUND', 'required field not found', { api_name: sub.api_name, json_path: path });
						if (cells[sub.api_name] !== undefined) {
							const problem = this.validate(sub, cells[sub.api_name], path);
							if (problem) return problem;
						}
					}
				}
				return null;
			}
			default:
				if (typeof value !== 'string') return invalid({ expected_data_type: def.data_type === 'picklist' ? 'picklist' : 'text' });
		}
		const max = def.length ?? DEFAULT_LENGTH[def.data_type];
		if (typeof value === 'string' && max !== undefined && value.length > max) return invalid({ maximum_length: max }, `invalid data: maximum length is ${max}`);
		if (def.data_type === 'picklist' && def.restricted && def.pick_list_values && !def.pick_list_values.includes(value as string)) return invalid({ supported_values: def.pick_list_values });
		return null;
	}

	private stored(def: FieldDef, value: unknown): unknown {
		if ((def.data_type === 'lookup' || def.data_type === 'ownerlookup') && value && typeof value === 'object') {
			const id = String((value as { id: unknown }).id);
			const target = def.lookupModule ? this.store(def.lookupModule).get(id) : undefined;
			return { id, name: target ? displayName(target) : null };
		}
		return value;
	}

	private present(record: StoredRecord, fields?: string[]): Record<string, unknown> {
		const out: Record<string, unknown> = { id: record.id };
		for (const [key, value] of Object.entries(record)) if (!fields || fields.includes(key)) out[key] = value;
		return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
	}

	private getRecords(module: ModuleDef, params: URLSearchParams, ifModifiedSince: string | undefined): HttpReply {
		const fields = params.get('fields');
		if (!fields) return error(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'fields' });
		const perPage = Number(params.get('per_page') ?? 200);
		if (!Number.isInteger(perPage) || perPage < 1 || perPage > 200) return error(400, 'INVALID_DATA', 'invalid data', { param_name: 'per_page' });
		let offset: number;
		let since: number | null = null;
		let sortBy = params.get('sort_by') ?? 'id';
		let sortOrder = params.get('sort_order') ?? 'desc';
		const token = params.get('page_token');
		if (token) {
			let decoded: { o: number; s: number | null; sb: string; so: string };
			try {
				decoded = JSON.parse(Buffer.from(token, 'base64url').toString()) as typeof decoded;
			} catch {
				return error(400, 'INVALID_DATA', 'invalid data', { param_name: 'page_token' });
			}
			({ o: offset, s: since, sb: sortBy, so: sortOrder } = decoded);
		} else {
			const page = Number(params.get('page') ?? 1);
			if (!Number.isInteger(page) || page < 1) return error(400, 'INVALID_DATA', 'invalid data', { param_name: 'page' });
			// Pages reach at most 2,000 records; beyond, Zoho requires page_token.
			if (page * perPage > 2000) return error(400, 'DISCRETE_PAGINATION_LIMIT_EXCEEDED', 'cannot fetch more than 2000 records. Please use the page_token for fetching more than 2000 records', { limit: 2000 });
			offset = (page - 1) * perPage;
			if (ifModifiedSince) {
				since = Date.parse(ifModifiedSince);
				if (!Number.isFinite(since)) return error(400, 'INVALID_DATA', 'invalid data', { param_name: 'If-Modified-Since' });
			}
		}
		if (offset >= 100000) return error(400, 'PAGINATION_LIMIT_EXCEEDED', 'You can only get upto 100000 records using page_token param', { param_name: 'page_token' });
		if (!['id', 'Created_Time', 'Modified_Time'].includes(sortBy)) return error(400, 'INVALID_DATA', 'invalid data', { param_name: 'sort_by', supported_values: ['id', 'Created_Time', 'Modified_Time'] });
		let rows = Array.from(this.store(module.api_name).values());
		if (since !== null) rows = rows.filter((r) => Date.parse(String(r.Modified_Time)) > (since as number));
		rows.sort((a, b) => {
			const av = sortBy === 'id' ? a.id : Date.parse(String(a[sortBy]));
			const bv = sortBy === 'id' ? b.id : Date.parse(String(b[sortBy]));
			const cmp = av < bv ? -1 : av > bv ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
			return sortOrder === 'asc' ? cmp : -cmp;
		});
		const pageRows = rows.slice(offset, offset + perPage);
		if (pageRows.length === 0) return new HttpReply(204, undefined);
		const more = offset + perPage < rows.length;
		const fieldList = fields.split(',').map((f) => f.trim());
		const next = more ? Buffer.from(JSON.stringify({ o: offset + perPage, s: since, sb: sortBy, so: sortOrder })).toString('base64url') : null;
		return new HttpReply(200, {
			data: pageRows.map((r) => this.present(r, fieldList)),
			info: {
				call: false,
				per_page: perPage,
				next_page_token: next,
				count: pageRows.length,
				sort_by: sortBy,
				page: Math.floor(offset / perPage) + 1,
				previous_page_token: null,
				page_token_expiry: next ? zohoTime(this.now() + 86400000) : null,
				sort_order: sortOrder,
				email: false,
				more_records: more,
			},
		});
	}

	private search(module: ModuleDef, params: URLSearchParams): HttpReply {
		let predicate: (r: StoredRecord) => boolean;
		const criteria = params.get('criteria');
		if (criteria) {
			try {
				predicate = parseCriteria(criteria);
			} catch (err) {
				return error(400, 'INVALID_QUERY', (err as Error).message, { reason: 'invalid criteria' });
			}
		} else if (params.get('email')) {
			const email = params.get('email')!.toLowerCase();
			const emailFields = module.fields.filter((f) => f.data_type === 'email').map((f) => f.api_name);
			predicate = (r) => emailFields.some((f) => String(r[f] ?? '').toLowerCase() === email);
		} else if (params.get('phone')) {
			const phone = params.get('phone')!.replace(/\D/g, '');
			predicate = (r) => module.fields.filter((f) => f.data_type === 'phone').some((f) => String(r[f.api_name] ?? '').replace(/\D/g, '').includes(phone));
		} else if (params.get('word')) {
			const word = params.get('word')!.toLowerCase();
			predicate = (r) => Object.values(r).some((v) => typeof v === 'string' && v.toLowerCase().includes(word));
		} else {
			return error(400, 'EXPECTED_PARAM_MISSING', 'One of the expected parameter is missing', { param_names: ['criteria', 'email', 'phone', 'word'] });
		}
		const hits = Array.from(this.store(module.api_name).values()).filter(predicate).sort((a, b) => (a.id < b.id ? 1 : -1));
		if (hits.length > 2000) return error(400, 'LIMIT_REACHED', 'search results exceed 2000 records', {});
		const perPage = Math.min(200, Number(params.get('per_page') ?? 200));
		const page = Number(params.get('page') ?? 1);
		const rows = hits.slice((page - 1) * perPage, page * perPage);
		if (rows.length === 0) return new HttpReply(204, undefined);
		const fields = params.get('fields')?.split(',').map((f) => f.trim());
		return new HttpReply(200, { data: rows.map((r) => this.present(r, fields)), info: { per_page: perPage, count: rows.length, page, more_records: page * perPage < hits.length, sort_by: 'id', sort_order: 'desc' } });
	}

	private coql(body: Record<string, unknown>): HttpReply {
		if (typeof body.select_query !== 'string') return error(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'select_query' });
		try {
			const query = parseCoql(body.select_query);
			const module = this.modules.get(query.module);
			if (!module) return error(400, 'INVALID_QUERY', 'invalid query formed', { module: query.module, reason: 'the module name given seems to be invalid' });
			for (const column of [...query.columns]) {
				const field = column.split('.')[0];
				if (field !== 'id' && !module.fields.some((f) => f.api_name === field)) return error(400, 'INVALID_QUERY', 'invalid query formed', { column_name: column, reason: 'column given seems to be invalid', clause: 'select' });
			}
			let rows = Array.from(this.store(module.api_name).values()).filter((r) => matches(r, query.where));
			const order = query.orderBy.length > 0 ? query.orderBy : [{ column: 'id', desc: false }];
			rows.sort((a, b) => {
				for (const { column, desc } of order) {
					const av = columnValue(a, column) as string;
					const bv = columnValue(b, column) as string;
					if (av === bv) continue;
					return (av < bv ? -1 : 1) * (desc ? -1 : 1);
				}
				return 0;
			});
			const total = rows.length;
			rows = rows.slice(query.offset, query.offset + query.limit);
			if (rows.length === 0) return new HttpReply(204, undefined);
			return new HttpReply(200, {
				data: rows.map((r) => {
					const out: Record<string, unknown> = { id: r.id };
					for (const column of query.columns) {
						const value = column.includes('.') ? columnValue(r, column) : r[column];
						out[column] = value && typeof value === 'object' && !Array.isArray(value) && 'id' in (value as object) ? { id: (value as { id: string }).id } : value ?? null;
					}
					return out;
				}),
				info: { count: rows.length, more_records: query.offset + rows.length < total },
			});
		} catch (err) {
			if (err instanceof CoqlError) return error(400, err.code, err.message, err.details);
			return error(500, 'INTERNAL_ERROR', `contract server bug: ${(err as Error).message}`);
		}
	}

	private modulesMeta(): HttpReply {
		return new HttpReply(200, {
			modules: Array.from(this.modules.values()).map((m, i) => ({
				id: `5725767000000002${String(170 + i).padStart(3, '0')}`,
				api_name: m.api_name,
				module_name: m.module_name ?? m.api_name,
				singular_label: m.singular_label,
				plural_label: m.plural_label,
				generated_type: m.generated_type,
				api_supported: true,
				creatable: true,
				editable: true,
				viewable: true,
				deletable: true,
			})),
		});
	}

	private fieldsMeta(moduleName: string | null): HttpReply {
		if (!moduleName) return error(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'module' });
		const module = this.modules.get(moduleName);
		if (!module) return error(400, 'INVALID_MODULE', 'the module name given seems to be invalid', { param_name: 'module' });
		const jsonType: Record<string, string> = { currency: 'double', double: 'double', integer: 'integer', boolean: 'boolean', lookup: 'jsonobject', ownerlookup: 'jsonobject', subform: 'jsonarray' };
		return new HttpReply(200, {
			fields: module.fields.map((f, i) => ({
				id: `5725767000000${String(600 + i).padStart(6, '0')}`,
				api_name: f.api_name,
				field_label: f.field_label ?? f.api_name,
				display_label: f.field_label ?? f.api_name,
				data_type: f.data_type,
				json_type: jsonType[f.data_type] ?? 'string',
				system_mandatory: f.system_mandatory ?? false,
				read_only: f.read_only ?? false,
				field_read_only: f.read_only ?? false,
				custom_field: f.custom ?? false,
				unique: f.unique ? { casesensitive: false } : {},
				length: f.length ?? DEFAULT_LENGTH[f.data_type] ?? null,
				lookup: f.lookupModule ? { module: { api_name: f.lookupModule, id: '5725767000000002179' }, display_label: f.field_label } : {},
				pick_list_values: (f.pick_list_values ?? []).map((v, k) => ({ display_value: v, actual_value: v, id: `5725767000001${String(k).padStart(6, '0')}` })),
				operation_type: { api_create: !f.read_only, api_update: !f.read_only, web_create: true, web_update: true },
			})),
		});
	}

	// ---------- control over HTTP ----------

	private control(method: string, url: URL, raw: string): HttpReply {
		const action = url.pathname.slice('/__control/'.length);
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
			case 'GET records':
				return new HttpReply(200, { records: this.list(url.searchParams.get('module') ?? '') });
			case 'POST records':
				return new HttpReply(200, { records: this.seed(String(body.module), (body.records as Array<Record<string, unknown>>) ?? []) });
			case 'POST faults':
				this.setFaults(body.rate === undefined ? null : (body as unknown as FaultConfig));
				if (Array.isArray(body.scripted)) this.scriptFaults(body.scripted as ScriptedFault[]);
				return new HttpReply(200, { ok: true, faults: this.faults.config, scripted: this.faults.scripted.length });
			case 'DELETE faults':
				this.setFaults(null);
				this.faults.clear();
				return new HttpReply(200, { ok: true });
			case 'POST config':
				this.configure(body);
				return new HttpReply(200, { ok: true, options: { ...this.options, clientSecret: '***' } });
			case 'GET tokens':
				return new HttpReply(200, { accessTokens: Array.from(this.accessTokens, ([token, info]) => ({ token, ...info })), refreshTokens: Array.from(this.refreshTokens.keys()) });
			case 'POST tokens/expire':
				return new HttpReply(200, { expired: this.expireTokens(typeof body.token === 'string' ? body.token : undefined) });
			case 'GET calls':
				return new HttpReply(200, this.callLog());
			case 'DELETE calls':
				this.clearCalls();
				return new HttpReply(200, { ok: true });
			case 'POST clock':
				this.advanceClock(Number(body.advanceMs ?? 0));
				return new HttpReply(200, { now: new Date(this.now()).toISOString() });
			case 'POST modules':
				this.addModule(body as unknown as ModuleDef);
				return new HttpReply(200, { ok: true });
			default:
				return new HttpReply(404, { error: `unknown control action ${method} ${action}` });
		}
	}
}

function recordError(code: string, message: string, details: Record<string, unknown>): Record<string, unknown> {
	return { code, details, message, status: 'error' };
}

function displayName(record: StoredRecord): string | null {
	for (const key of ['Account_Name', 'Full_Name', 'Name', 'Subject', 'Product_Name', 'Deal_Name']) if (typeof record[key] === 'string') return record[key] as string;
	if (typeof record.Last_Name === 'string') return [record.First_Name, record.Last_Name].filter(Boolean).join(' ');
	return null;
}

function isWrite(route: string): boolean {
	return route.startsWith('POST /crm/v8/{module}') || route.startsWith('PUT ');
}

function moduleOf(pathname: string): string | null {
	if (!pathname.startsWith(`${API_PREFIX}/`)) return null;
	const first = decodeURIComponent(pathname.slice(API_PREFIX.length + 1).split('/')[0]);
	return first === 'settings' || first === 'coql' ? null : first;
}

/** The call's route with the module generalised, e.g. "POST /crm/v8/{module}/upsert", for counting calls. */
export function routeOf(method: string, pathname: string): string {
	if (!pathname.startsWith(`${API_PREFIX}/`)) return `${method} ${pathname}`;
	const parts = pathname.slice(API_PREFIX.length + 1).split('/');
	if (parts[0] === 'settings' || parts[0] === 'coql') return `${method} ${pathname}`;
	const rest = parts.slice(1).map((p) => (p === 'upsert' || p === 'search' ? p : '{id}'));
	return `${method} ${[API_PREFIX, '{module}', ...rest].join('/')}`;
}

function readBody(req: http.IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/**
 * Search criteria: `(Field:operator:value)` joined by `and`/`or` with parentheses; `\` escapes
 * `(`, `)` and `,` in values. Operators: equals, not_equal, starts_with, in, greater_than,
 * greater_equal, less_than, less_equal (https://www.zoho.com/crm/developer/docs/api/v8/search-records.html).
 * `equals` is compared case-insensitively on the whole value here.
 */
export function parseCriteria(criteria: string): (record: StoredRecord) => boolean {
	let pos = 0;
	const expression = (): ((r: StoredRecord) => boolean) => {
		let left = term();
		for (;;) {
			const rest = criteria.slice(pos);
			const m = /^\s*(and|or)\s*/i.exec(rest);
			if (!m) return left;
			pos += m[0].length;
			const right = term();
			const l = left;
			left = m[1].toLowerCase() === 'and' ? (r) => l(r) && right(r) : (r) => l(r) || right(r);
		}
	};
	const term = (): ((r: StoredRecord) => boolean) => {
		while (criteria[pos] === ' ') pos++;
		if (criteria[pos] !== '(') throw new Error(`expected "(" at ${pos}`);
		pos++;
		if (criteria[pos] === '(') {
			const inner = expression();
			if (criteria[pos] !== ')') throw new Error(`expected ")" at ${pos}`);
			pos++;
			return inner;
		}
		let text = '';
		while (pos < criteria.length && criteria[pos] !== ')') {
			if (criteria[pos] === '\\' && pos + 1 < criteria.length) {
				text += `\uE000${criteria[pos + 1]}`;
				pos += 2;
				continue;
			}
			text += criteria[pos++];
		}
		if (criteria[pos] !== ')') throw new Error('unbalanced parentheses');
		pos++;
		const [field, operator, ...valueParts] = text.split(':');
		const rawValue = valueParts.join(':');
		const values = rawValue.split(/(?<!\uE000),/).map((v) => v.replace(/\uE000(.)/g, '$1').trim().toLowerCase());
		const value = values.join(',');
		return (r) => {
			const actual = keyOf(r[field]) ?? '';
			switch (operator) {
				case 'equals':
					return actual === value;
				case 'not_equal':
					return actual !== value;
				case 'starts_with':
					return actual.startsWith(value);
				case 'in':
					return values.includes(actual);
				case 'greater_than':
					return Number(actual) > Number(value);
				case 'greater_equal':
					return Number(actual) >= Number(value);
				case 'less_than':
					return Number(actual) < Number(value);
				case 'less_equal':
					return Number(actual) <= Number(value);
				default:
					throw new Error(`unsupported operator ${operator}`);
			}
		};
	};
	const predicate = expression();
	if (pos !== criteria.length) throw new Error(`unexpected text at ${pos}`);
	return predicate;
}

/** Starts a contract server on 127.0.0.1 (port 0 = any free port) and returns it, listening. */
export async function startZohoServer(options: ZohoServerOptions = {}): Promise<ZohoContractServer> {
	const server = new ZohoContractServer(options);
	await server.listen();
	return server;
}

if (require.main === module || process.argv[1] === __filename) {
	runStandalone(
		(args) => {
			const num = (name: string) => (argValue(args, name) === undefined ? undefined : Number(argValue(args, name)));
			return startZohoServer({ port: num('port') ?? 0, host: argValue(args, 'host') ?? '127.0.0.1', latencyMs: num('latency'), concurrencyLimit: num('concurrency') });
		},
		(server) => [
			`Zoho CRM contract server listening on ${server.url}`,
			JSON.stringify({ url: server.url, apiDomain: server.url, accountsUrl: server.url, ...DEFAULT_CREDENTIALS }),
		],
	);
}
