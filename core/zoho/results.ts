import type { RecordFailure, RecordOutcome, ZohoHttpOutcome } from './types';
import { failure } from './types';

/**
 * Turns Zoho's answer to a write call (upsert, update) into one outcome per record sent.
 *
 * Zoho answers each record inside `data[]`, in request order: 200 when all succeeded, 207 when some
 * failed, 400 when all failed (https://www.zoho.com/crm/developer/docs/api/v8/upsert-records.html).
 * A call-level error (invalid module, too many records, no permission, rate limit, server fault,
 * dropped connection) applies to every record of the call.
 */
export function interpretWriteOutcome(outcome: ZohoHttpOutcome, recordCount: number, module: string, attempts = 1): RecordOutcome[] {
	if (outcome.kind === 'network') {
		const f = failure(
			'NETWORK_ERROR',
			`The connection to Zoho CRM failed (${outcome.code}) on all ${attempts} attempt(s) — nothing is known to be lost: re-run the workflow; upserts by duplicate key are safe to repeat`,
			{ retryable: true, zohoMessage: outcome.message },
		);
		return Array.from({ length: recordCount }, () => f);
	}
	const body = outcome.body as { data?: unknown; code?: unknown; message?: unknown; details?: unknown } | null;
	const data = body && Array.isArray(body.data) ? (body.data as unknown[]) : null;
	if (data && data.length === recordCount && (outcome.status < 300 || outcome.status === 400)) {
		return data.map((entry, index) => interpretRecordEntry(entry, index, module, outcome.status));
	}
	// One error for the whole call: a top-level error object, or a data[] that does not line up (LIMIT_EXCEEDED).
	const entry = data && data.length > 0 ? data[0] : body;
	const callFailure = callLevelFailure(outcome.status, entry, module, attempts);
	return Array.from({ length: recordCount }, () => callFailure);
}

function asObject(value: unknown): Record<string, unknown> {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function str(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

export function interpretRecordEntry(entry: unknown, index: number, module: string, httpStatus: number): RecordOutcome {
	const e = asObject(entry);
	const details = asObject(e.details);
	if (e.status === 'success' || e.code === 'SUCCESS') {
		const id = str(details.id) ?? (typeof details.id === 'number' ? String(details.id) : null);
		if (id) {
			return {
				ok: true,
				action: e.action === 'update' ? 'update' : 'insert',
				id,
				duplicateField: str(e.duplicate_field),
				message: str(e.message) ?? '',
			};
		}
		return failure('UNEXPECTED_RESPONSE', `Zoho CRM reported success for record ${index + 1} but gave no record id — check the ${module} module in Zoho CRM`, { httpStatus });
	}
	return recordFailureFromEntry(e, module, httpStatus);
}

function recordFailureFromEntry(e: Record<string, unknown>, module: string, httpStatus: number | null): RecordFailure {
	const code = str(e.code) ?? 'UNKNOWN_ERROR';
	let details = asObject(e.details);
	let effectiveCode = code;
	if (code === 'MULTIPLE_OR_MULTI_ERRORS' && Array.isArray(details.errors) && details.errors.length > 0) {
		// Several problems with one record: report the first, list the others in the message.
		const first = asObject(details.errors[0]);
		effectiveCode = str(first.code) ?? code;
		details = { ...asObject(first.details), errors: details.errors };
	}
	const field = str(details.api_name);
	const zohoMessage = str(e.message);
	return failure(effectiveCode, describeRecordError(effectiveCode, module, field, zohoMessage, details), {
		zohoMessage,
		field,
		jsonPath: str(details.json_path),
		httpStatus,
		retryable: false,
		details,
	});
}

/** An operator-readable sentence for a per-record error: what Zoho objected to and what to do. */
export function describeRecordError(code: string, module: string, field: string | null, zohoMessage: string | null, details: Record<string, unknown> = {}): string {
	const f = field ? `"${field}"` : 'a field';
	switch (code) {
		case 'MANDATORY_NOT_FOUND':
			return `Zoho CRM needs ${f} to create this ${module} record and it was empty — map a value for ${f} (or make the field optional in Zoho CRM)`;
		case 'DUPLICATE_DATA': {
			const existing = asObject(details.duplicate_record);
			const more = details.more_records === true;
			return more
				? `More than one existing ${module} record has this ${f} value, so Zoho CRM cannot tell which to update — merge the duplicates in Zoho CRM (Deduplicate ${module}) or match on a field that is unique`
				: `Another ${module} record (id ${String(existing.id ?? 'unknown')}) already uses this ${f} value, which Zoho CRM requires to be unique — match on ${f} or change the value`;
		}
		case 'INVALID_DATA': {
			const expected = str(details.expected_data_type);
			const maxLength = details.maximum_length;
			const supported = Array.isArray(details.supported_values) ? (details.supported_values as unknown[]).slice(0, 8).join(', ') : null;
			if (field === 'id' || /lookup/i.test(zohoMessage ?? '')) {
				return `Zoho CRM rejected the value of ${f}: the linked record does not exist (${zohoMessage ?? 'invalid data'}) — check the record id`;
			}
			if (expected) return `Zoho CRM rejected the value of ${f}: it expects ${expected} — convert the value or map a different field`;
			if (typeof maxLength === 'number') return `The value of ${f} is longer than the ${maxLength} characters Zoho CRM allows — shorten it`;
			if (supported) return `${f} only accepts: ${supported} — change the value or add it to the picklist in Zoho CRM`;
			return `Zoho CRM rejected the value of ${f} (${zohoMessage ?? 'invalid data'}) — check the field's type in Zoho CRM`;
		}
		case 'LIMIT_EXCEEDED':
			return `Zoho CRM refused the call: ${zohoMessage ?? 'a limit was exceeded'} — this is a bug in the node's batching; report it`;
		case 'INVALID_MODULE':
			return `Zoho CRM has no module named "${module}" — pick the module from the list, or use its API name (Setup > Developer Hub > APIs > API Names)`;
		case 'NO_PERMISSION':
			return `The Zoho CRM user of this credential may not write to ${module} — grant the permission in Zoho CRM or use another user's credential`;
		case 'OAUTH_SCOPE_MISMATCH':
			return `The credential was not granted the scope needed for ${module} — reconnect the credential (the scopes are set by the credential)`;
		case 'ALREADY_MODIFIED':
			return `The ${module} record was changed in Zoho CRM after the time this update was based on — re-run to write the latest values`;
		case 'RECORD_LOCKED':
			return `The ${module} record is locked in Zoho CRM (approval or review) — unlock it in Zoho CRM and re-run`;
		default:
			return `Zoho CRM rejected this ${module} record: ${code}${zohoMessage ? ` (${zohoMessage})` : ''}${field ? ` on field "${field}"` : ''}`;
	}
}

function callLevelFailure(status: number, entry: unknown, module: string, attempts: number): RecordFailure {
	const e = asObject(entry);
	const code = str(e.code) ?? (status === 429 ? 'TOO_MANY_REQUESTS' : status >= 500 ? 'INTERNAL_ERROR' : `HTTP_${status}`);
	const zohoMessage = str(e.message);
	const details = asObject(e.details);
	if (status === 429 || status >= 500 || status === 408) {
		return failure(
			code,
			`Zoho CRM answered HTTP ${status} (${code}) on all ${attempts} attempt(s) — the records were not confirmed; re-run the workflow later (upserts are safe to repeat) or lower "Max Concurrent Calls"`,
			{ zohoMessage, httpStatus: status, retryable: true, details },
		);
	}
	return failure(code, describeRecordError(code, module, str(details.api_name), zohoMessage, details), {
		zohoMessage,
		field: str(details.api_name),
		httpStatus: status,
		retryable: false,
		details,
	});
}

/** Reads the record index out of a JSON path such as `$.data[3].Email`; null when there is none. */
export function recordIndexFromJsonPath(jsonPath: string | null): number | null {
	if (!jsonPath) return null;
	const match = /\$\.data\[(\d+)\]/.exec(jsonPath);
	return match ? Number(match[1]) : null;
}
