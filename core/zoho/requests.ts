import { DateTime } from 'luxon';

import { COQL_MAX_LIMIT, MAX_RECORDS_PER_PAGE, ZOHO_API_VERSION } from './constants';
import type { ZohoTrigger } from './constants';
import type { ZohoRecord, ZohoRequest } from './types';

/**
 * Builders for the Zoho CRM v8 calls this package makes. Pure: they return request descriptions that
 * the node's transport sends (or that a dry run shows).
 */

const API = `/crm/${ZOHO_API_VERSION}`;

/** Module and field API names are letters, digits and underscores; anything else is refused before it reaches a URL. */
const API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;

export function assertApiName(value: unknown, what: string): string {
	if (typeof value !== 'string' || !API_NAME.test(value.trim())) {
		throw new Error(`${what} "${String(value)}" is not a Zoho CRM API name (letters, digits and underscores, e.g. "Contacts" or "UTM_Source") — use the API name from Setup > Developer Hub > APIs > API Names`);
	}
	return value.trim();
}

export interface WriteOptions {
	/** Fields Zoho matches existing records on, in order. Empty: the module's system-defined field. */
	duplicateCheckFields?: string[];
	/** Automations to run. `undefined`: Zoho's default (all); `[]`: none. */
	trigger?: ZohoTrigger[];
}

/** POST /crm/v8/{module}/upsert — https://www.zoho.com/crm/developer/docs/api/v8/upsert-records.html */
export function buildUpsertRequest(module: string, records: ZohoRecord[], options: WriteOptions = {}): ZohoRequest {
	const body: Record<string, unknown> = { data: records };
	if (options.duplicateCheckFields && options.duplicateCheckFields.length > 0) body.duplicate_check_fields = options.duplicateCheckFields;
	if (options.trigger !== undefined) body.trigger = options.trigger;
	return { method: 'POST', path: `${API}/${assertApiName(module, 'Module')}/upsert`, body, purpose: `upsert ${records.length} ${module} record(s)` };
}

/** PUT /crm/v8/{module} — update records by id. https://www.zoho.com/crm/developer/docs/api/v8/update-records.html */
export function buildUpdateRequest(module: string, records: ZohoRecord[], options: Pick<WriteOptions, 'trigger'> = {}): ZohoRequest {
	const body: Record<string, unknown> = { data: records };
	if (options.trigger !== undefined) body.trigger = options.trigger;
	return { method: 'PUT', path: `${API}/${assertApiName(module, 'Module')}`, body, purpose: `update ${records.length} ${module} record(s) by id` };
}

/** POST /crm/v8/coql — https://www.zoho.com/crm/developer/docs/api/v8/Get-Records-through-COQL-Query.html */
export function buildCoqlRequest(selectQuery: string, purpose: string): ZohoRequest {
	return { method: 'POST', path: `${API}/coql`, body: { select_query: selectQuery }, purpose };
}

/** A COQL string literal. COQL escapes quotes and backslashes with a backslash. */
export function coqlString(value: string): string {
	return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * `select <fields> from <module> where <field> in (...) order by id limit <n> offset <m>`. COQL's `in` takes at
 * most 50 values (callers chunk). Records are ordered by id so that OFFSET paging is stable.
 */
export function buildCoqlSelectIn(module: string, fields: string[], whereField: string, values: string[], limit = COQL_MAX_LIMIT, offset = 0): string {
	const columns = Array.from(new Set(['id', ...fields.map((f) => assertFieldPath(f)), assertFieldPath(whereField)])).join(', ');
	const list = values.map(coqlString).join(', ');
	const where = values.length === 1 ? `${assertFieldPath(whereField)} = ${list}` : `${assertFieldPath(whereField)} in (${list})`;
	return `select ${columns} from ${assertApiName(module, 'Module')} where ${where} order by id asc limit ${limit} offset ${offset}`;
}

function assertFieldPath(value: string): string {
	return assertApiName(value, 'Field');
}

export interface GetRecordsPage {
	module: string;
	fields: string[];
	/** Only records modified after this time (If-Modified-Since). */
	modifiedSince?: string | null;
	page?: number;
	pageToken?: string | null;
	perPage?: number;
}

/**
 * GET /crm/v8/{module} sorted by Modified_Time ascending, with If-Modified-Since. Pages 1–10 use
 * `page`; beyond 2,000 records Zoho requires the `page_token` from the previous response.
 * https://www.zoho.com/crm/developer/docs/api/v8/get-records.html
 */
export function buildGetRecordsRequest(options: GetRecordsPage): ZohoRequest {
	const qs: Record<string, string | number> = {
		fields: Array.from(new Set(['Modified_Time', ...options.fields.map((f) => assertApiName(f, 'Field'))])).join(','),
		per_page: options.perPage ?? MAX_RECORDS_PER_PAGE,
		sort_by: 'Modified_Time',
		sort_order: 'asc',
	};
	if (options.pageToken) qs.page_token = options.pageToken;
	else qs.page = options.page ?? 1;
	const headers: Record<string, string> = {};
	if (options.modifiedSince) headers['If-Modified-Since'] = toZohoDateTime(options.modifiedSince);
	return { method: 'GET', path: `${API}/${assertApiName(options.module, 'Module')}`, qs, headers, purpose: `read ${options.module} records changed since ${options.modifiedSince ?? 'the beginning'}` };
}

/** GET /crm/v8/settings/modules — https://www.zoho.com/crm/developer/docs/api/v8/modules-api.html */
export function buildModulesRequest(): ZohoRequest {
	return { method: 'GET', path: `${API}/settings/modules`, purpose: 'list modules' };
}

/** GET /crm/v8/settings/fields?module= — https://www.zoho.com/crm/developer/docs/api/v8/field-meta.html */
export function buildFieldsRequest(module: string): ZohoRequest {
	return { method: 'GET', path: `${API}/settings/fields`, qs: { module: assertApiName(module, 'Module') }, purpose: `list ${module} fields` };
}

/** Zoho's date-time format: ISO 8601 with a numeric offset and no milliseconds (`2024-03-01T10:15:00+00:00`). */
export function toZohoDateTime(iso: string): string {
	const dt = DateTime.fromISO(iso, { setZone: true });
	if (!dt.isValid) throw new Error(`"${iso}" is not an ISO-8601 date-time`);
	return dt.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
}

/** Zoho's date format (`2024-03-01`), taken in UTC. */
export function toZohoDate(iso: string): string {
	const dt = DateTime.fromISO(iso, { setZone: true });
	if (!dt.isValid) throw new Error(`"${iso}" is not an ISO-8601 date`);
	return dt.toUTC().toFormat('yyyy-MM-dd');
}
