/**
 * One item as the router sees it: each value is read through the operator's field mapping at most once
 * per item, and an unreadable value raises an ItemFieldError that names the field and the setting.
 * A single view is reused for every item of a run (load() resets it) to keep 200,000 items cheap.
 */
import { normalizeCurrency } from '../model/money';
import { isoTimestampMillis } from '../model/timestamps';
import type { ItemFacts } from './conditions';
import type { Getter } from './fields';
import { ItemFieldError, asItemFieldError, compilePath, isMissing, normalizeKey, readAmount, readFlag, readNumber, readTimeMillis } from './fields';
import type { FieldNames } from './types';
import { FIELD_LABELS } from './types';

export interface FieldReader {
	path: string;
	setting: string;
	get: Getter;
}

export type FieldReaders = Record<keyof FieldNames, FieldReader>;

export function compileFieldReaders(fields: FieldNames): FieldReaders {
	const readers = {} as FieldReaders;
	for (const key of Object.keys(fields) as Array<keyof FieldNames>) {
		const path = fields[key].trim();
		readers[key] = { path, setting: FIELD_LABELS[key], get: compilePath(path) };
	}
	return readers;
}

/** Runs a reader and turns its NormalizationError into an ItemFieldError naming the setting. */
export function readWith<T>(reader: FieldReader, value: unknown, read: (value: unknown, field: string) => T): T {
	let failure: unknown;
	try {
		return read(value, reader.path);
	} catch (error) {
		failure = error;
	}
	throw asItemFieldError(failure, reader.path, reader.setting, value);
}

const UNSET = Symbol('unset');
type Cached<T> = T | typeof UNSET;

export class ItemView implements ItemFacts {
	json: Record<string, unknown> = {};
	/** Fields a condition needed and the item lacks, in the order met (no duplicates). */
	readonly missing: string[] = [];
	private segmentValue: Cached<string | null> = UNSET;
	private stageValue: Cached<string | null> = UNSET;
	private b2bValue: Cached<boolean | null> = UNSET;
	private clvValue: Cached<{ value: number; source: 'predictedClv' | 'historicalClv' } | null> = UNSET;
	private lastOrderValue: Cached<number | null> = UNSET;
	// Segment values repeat across customers: normalise each distinct value once.
	private readonly normalized = new Map<string, string>();
	private readonly currencies = new Map<string, string>();

	constructor(
		readonly readers: FieldReaders,
		readonly referenceTime: number,
	) {}

	load(json: Record<string, unknown>): void {
		this.json = json;
		// Truncating an array is a runtime call even when it is empty; most items miss nothing.
		if (this.missing.length !== 0) this.missing.length = 0;
		this.segmentValue = UNSET;
		this.stageValue = UNSET;
		this.b2bValue = UNSET;
		this.clvValue = UNSET;
		this.lastOrderValue = UNSET;
	}

	noteMissing(field: string): void {
		if (!this.missing.includes(field)) this.missing.push(field);
	}

	raw(reader: FieldReader): unknown {
		return reader.get(this.json);
	}

	segment(): string | null {
		if (this.segmentValue === UNSET) this.segmentValue = this.key(this.readers.segment);
		return this.segmentValue;
	}

	lifecycleStage(): string | null {
		if (this.stageValue === UNSET) this.stageValue = this.key(this.readers.lifecycleStage);
		return this.stageValue;
	}

	/** Missing means "not classified": no note, the B2B condition simply counts it as not B2B. */
	isB2B(): boolean | null {
		if (this.b2bValue === UNSET) this.b2bValue = this.optionalFlag(this.readers.isB2B);
		return this.b2bValue;
	}

	clv(): { value: number; source: 'predictedClv' | 'historicalClv' } | null {
		if (this.clvValue === UNSET) {
			const predicted = this.optionalAmount(this.readers.predictedClv);
			if (predicted !== null) {
				this.clvValue = { value: predicted, source: 'predictedClv' };
			} else {
				const historical = this.optionalAmount(this.readers.historicalClv);
				this.clvValue = historical === null ? null : { value: historical, source: 'historicalClv' };
			}
			if (this.clvValue === null) this.noteMissing(`${this.readers.predictedClv.path} / ${this.readers.historicalClv.path}`);
		}
		return this.clvValue;
	}

	lastOrderAt(): number | null {
		if (this.lastOrderValue === UNSET) this.lastOrderValue = this.optionalTime(this.readers.lastOrderAt);
		return this.lastOrderValue;
	}

	optionalTime(reader: FieldReader): number | null {
		const value = reader.get(this.json);
		// The canonical timestamp text, decoded here without the general reader's error handling around it.
		if (typeof value === 'string') {
			const millis = isoTimestampMillis(value);
			if (millis === millis) return millis;
		}
		return isMissing(value) ? null : readWith(reader, value, readTimeMillis);
	}

	optionalFlag(reader: FieldReader): boolean | null {
		const value = reader.get(this.json);
		if (typeof value === 'boolean') return value;
		return isMissing(value) ? null : readWith(reader, value, readFlag);
	}

	optionalAmount(reader: FieldReader): number | null {
		const value = reader.get(this.json);
		return isMissing(value) ? null : readWith(reader, value, readAmount);
	}

	optionalNumber(reader: FieldReader): number | null {
		const value = reader.get(this.json);
		return isMissing(value) ? null : readWith(reader, value, readNumber);
	}

	optionalText(reader: FieldReader): string | null {
		const value = reader.get(this.json);
		if (isMissing(value)) return null;
		if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
		if (typeof value === 'number' || typeof value === 'boolean') return String(value);
		throw new ItemFieldError(reader.path, reader.setting, 'is a list or an object, expected text', value);
	}

	currency(): string | null {
		const value = this.readers.currency.get(this.json);
		if (isMissing(value)) return null;
		// A store has a handful of currencies: check and normalise each spelling once.
		if (typeof value === 'string') {
			const known = this.currencies.get(value);
			if (known !== undefined) return known;
		}
		const code = readWith(this.readers.currency, value, normalizeCurrency);
		if (typeof value === 'string' && code !== null && this.currencies.size < 1_000) this.currencies.set(value, code);
		return code;
	}

	private key(reader: FieldReader): string | null {
		const value = reader.get(this.json);
		if (isMissing(value)) {
			this.noteMissing(reader.path);
			return null;
		}
		if (typeof value !== 'string' && typeof value !== 'number') {
			throw new ItemFieldError(reader.path, reader.setting, 'is a list or an object, expected a segment or stage name', value);
		}
		const text = String(value);
		let key = this.normalized.get(text);
		if (key === undefined) {
			key = normalizeKey(text);
			if (this.normalized.size < 10_000) this.normalized.set(text, key);
		}
		if (key === '') {
			this.noteMissing(reader.path);
			return null;
		}
		return key;
	}
}
