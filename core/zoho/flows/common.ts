import type { RecordFailure, RecordOutcome, ZohoRequest } from '../types';

/**
 * What a flow reports for each input item: success with what was written, or failure with the stage
 * it failed at and Zoho's (or our) reason. Every input item gets exactly one result.
 */
export interface ItemSuccess {
	itemIndex: number;
	ok: true;
	zoho: Record<string, unknown>;
}

export interface ItemFailure {
	itemIndex: number;
	ok: false;
	/** Where it failed: `input`, `account`, `contact`, `order`, `rollup`, `lookup`, `record`… */
	stage: string;
	failure: RecordFailure;
	/** What was written before the failure (e.g. the Contact when the Order failed). */
	zoho?: Record<string, unknown>;
}

export type ItemResult = ItemSuccess | ItemFailure;

/** A call a dry run would make, with the items it serves. */
export interface PlannedCall {
	stage: string;
	request: ZohoRequest;
	itemIndexes: number[];
	note?: string;
}

export function outcomeSummary(outcome: RecordOutcome): Record<string, unknown> {
	return outcome.ok ? { id: outcome.id, action: outcome.action, duplicateField: outcome.duplicateField } : { error: outcome.code };
}

/** Collects results so that each item is reported once (the first failure wins). */
export class ResultBook {
	private readonly failures = new Map<number, ItemFailure>();
	private readonly progress = new Map<number, Record<string, unknown>>();

	fail(itemIndex: number, stage: string, failure: RecordFailure): void {
		if (this.failures.has(itemIndex)) return;
		this.failures.set(itemIndex, { itemIndex, ok: false, stage, failure, zoho: this.progress.get(itemIndex) });
	}

	isFailed(itemIndex: number): boolean {
		return this.failures.has(itemIndex);
	}

	note(itemIndex: number, key: string, value: unknown): void {
		const current = this.progress.get(itemIndex) ?? {};
		current[key] = value;
		this.progress.set(itemIndex, current);
		const failed = this.failures.get(itemIndex);
		if (failed) failed.zoho = current;
	}

	results(itemIndexes: number[]): ItemResult[] {
		return itemIndexes.map((itemIndex) => this.failures.get(itemIndex) ?? { itemIndex, ok: true as const, zoho: this.progress.get(itemIndex) ?? {} });
	}
}
