/**
 * Raised by the canonical model's parsers and normalisers when a field cannot be read.
 * `field` is the path in the incoming payload (e.g. `line_items[2].price`), so that the node can
 * tell the operator which item and which field is wrong.
 */
export class NormalizationError extends Error {
	readonly field: string;
	readonly value: unknown;

	constructor(field: string, message: string, value?: unknown) {
		super(`${field}: ${message}`);
		this.name = 'NormalizationError';
		this.field = field;
		this.value = value;
	}
}

/** Short, safe rendering of a bad value for an error message (never the whole payload). */
export function describeValue(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (Array.isArray(value)) return `a list of ${value.length}`;
	return `an object`;
}
