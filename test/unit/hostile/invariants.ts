/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling: HOSTILE_SEED and HOSTILE_RUNS_SCALE come from the environment */
/**
 * The invariants every hostile-input property checks after running a node:
 * - nothing lost: every input index is accounted for on some output (pairedItem);
 * - no crash: the node returned, or threw an n8n error that names an item;
 * - no prototype pollution: Object.prototype and friends are unchanged, `({}).polluted` is undefined,
 *   and no output object inherits from anything but Object.prototype, Array.prototype or null;
 * - no NaN or ±Infinity in any output number (n8n would store null, or the next node would compute NaN);
 * - no secret in outputs or errors.
 * All walks are iterative, so deeply nested hostile values cannot overflow the checker's stack.
 */
import type { INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import fc from 'fast-check';

/** One seed for every property (reproducible CI); HOSTILE_SEED=<n> explores others, HOSTILE_RUNS scales runs. */
export const SEED = process.env.HOSTILE_SEED ? Number(process.env.HOSTILE_SEED) : 20_240_611;
const SCALE = process.env.HOSTILE_RUNS_SCALE ? Number(process.env.HOSTILE_RUNS_SCALE) : 1;

export function runs(numRuns: number): fc.Parameters<unknown> {
	return { numRuns: Math.max(1, Math.round(numRuns * SCALE)), seed: SEED };
}

const WATCHED: Array<[string, object]> = [
	['Object.prototype', Object.prototype],
	['Array.prototype', Array.prototype],
	['String.prototype', String.prototype],
	['Number.prototype', Number.prototype],
	['Function.prototype', Function.prototype],
	['Boolean.prototype', Boolean.prototype],
];

type Snapshot = Array<[string, Map<string | symbol, PropertyDescriptor>]>;

function snapshot(): Snapshot {
	return WATCHED.map(([name, target]) => {
		const descriptors = new Map<string | symbol, PropertyDescriptor>();
		for (const key of Reflect.ownKeys(target)) descriptors.set(key, Object.getOwnPropertyDescriptor(target, key)!);
		return [name, descriptors];
	});
}

const BASELINE = snapshot();

/** Throws when a built-in prototype gained, lost or changed a property since the test file loaded. */
export function expectNoPollution(): void {
	const probe: Record<string, unknown> = {};
	if (probe.polluted !== undefined || probe.isAdmin !== undefined) throw new Error(`Object.prototype was polluted: ({}).polluted = ${String(probe.polluted)}`);
	if (Object.getPrototypeOf(probe) !== Object.prototype) throw new Error('The prototype of {} changed');
	const now = snapshot();
	for (let index = 0; index < WATCHED.length; index++) {
		const [name, before] = BASELINE[index];
		const after = now[index][1];
		for (const [key, descriptor] of after) {
			const old = before.get(key);
			if (!old) throw new Error(`${name} gained the property ${String(key)}`);
			if (old.value !== descriptor.value || old.get !== descriptor.get || old.set !== descriptor.set) throw new Error(`${name}.${String(key)} was changed`);
		}
		for (const key of before.keys()) if (!after.has(key)) throw new Error(`${name} lost the property ${String(key)}`);
	}
}

const PLAIN_PROTOTYPES = new Set<unknown>([Object.prototype, Array.prototype, null]);

/**
 * Walks a value: every number finite, every object a plain object or array (no inherited data from a
 * `__proto__` key that was assigned instead of copied). Returns the problems found (empty when clean).
 */
export function problemsIn(value: unknown, where: string, options: { plainPrototypes?: boolean } = {}): string[] {
	const problems: string[] = [];
	const stack: Array<[unknown, string]> = [[value, where]];
	const seen = new Set<object>();
	while (stack.length > 0 && problems.length < 5) {
		const [current, path] = stack.pop()!;
		if (typeof current === 'number') {
			if (!Number.isFinite(current)) problems.push(`${path} is ${current}`);
			continue;
		}
		if (current === null || typeof current !== 'object') continue;
		if (seen.has(current)) continue;
		seen.add(current);
		if (Buffer.isBuffer(current) || current instanceof Date) continue;
		const prototype = Object.getPrototypeOf(current);
		if (options.plainPrototypes !== false && !PLAIN_PROTOTYPES.has(prototype)) {
			problems.push(`${path} inherits from a non-standard prototype (${JSON.stringify(Object.keys(prototype ?? {})).slice(0, 80)}): a "__proto__" key was assigned, not copied`);
			continue;
		}
		for (const key of Object.keys(current)) stack.push([(current as Record<string, unknown>)[key], `${path}.${key}`]);
	}
	return problems;
}

export function expectClean(value: unknown, where: string, options: { plainPrototypes?: boolean } = {}): void {
	const problems = problemsIn(value, where, options);
	if (problems.length > 0) throw new Error(problems.join('\n'));
}

function pairedIndexes(item: INodeExecutionData): number[] {
	const paired = item.pairedItem;
	if (paired === undefined) return [];
	if (typeof paired === 'number') return [paired];
	const list: IPairedItemData[] = Array.isArray(paired) ? paired : [paired];
	return list.map((entry) => entry.item);
}

export interface Accounting {
	/**
	 * `exact`: one output item per input item, each paired with its own index (a 1:1 node);
	 * `partition`: every input index appears exactly once among all pairedItem entries (an aggregate:
	 *   one customer item pairs all its orders, an excluded item pairs its one input);
	 * `cover`: every input index appears at least once (dry-run calls that serve several items).
	 */
	mode: 'exact' | 'partition' | 'cover';
	/** Outputs left out of the accounting (RFM Scorer's Summary, paired with item 0 only to describe the run). */
	skipOutputs?: number[];
}

/** Every input index leaves on some output, each output item is paired with valid indexes. */
export function expectAccounted(outputs: INodeExecutionData[][], inputCount: number, accounting: Accounting): void {
	const counts = new Array<number>(inputCount).fill(0);
	outputs.forEach((output, outputIndex) => {
		if (accounting.skipOutputs?.includes(outputIndex)) return;
		for (const item of output) {
			const indexes = pairedIndexes(item);
			if (indexes.length === 0 && inputCount > 0) throw new Error(`An item on output ${outputIndex} has no pairedItem`);
			for (const index of indexes) {
				if (!Number.isInteger(index) || index < 0 || index >= inputCount) throw new Error(`Output ${outputIndex} pairs an item with input ${index}, which does not exist`);
				counts[index]++;
			}
		}
	});
	const missing = counts.flatMap((count, index) => (count === 0 ? [index] : []));
	if (missing.length > 0) throw new Error(`Input items ${missing.join(', ')} left on no output`);
	if (accounting.mode !== 'cover') {
		const twice = counts.flatMap((count, index) => (count > 1 ? [index] : []));
		if (twice.length > 0) throw new Error(`Input items ${twice.join(', ')} left on more than one output item`);
	}
	if (accounting.mode === 'exact') {
		const total = outputs.reduce((sum, output, outputIndex) => sum + (accounting.skipOutputs?.includes(outputIndex) ? 0 : output.length), 0);
		if (total !== inputCount) throw new Error(`${inputCount} items in, ${total} out`);
	}
}

/** A thrown error is an n8n error that names an existing input item. */
export function expectItemError(error: unknown, inputCount: number): void {
	if (!(error instanceof NodeOperationError || error instanceof NodeApiError)) {
		throw new Error(`The node crashed with ${error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error)}`);
	}
	const named = /\bItem (\d+)\b/.exec(error.message);
	const index = named ? Number(named[1]) : (error.context?.itemIndex as number | undefined);
	if (index === undefined || !(index >= 0 && index < inputCount)) throw new Error(`The error names no input item: "${error.message}"`);
}

/** Text of everything a user can see after a run: outputs, error message, description and context. */
export function visibleText(outputs: INodeExecutionData[][] | undefined, error?: unknown): string {
	const parts: string[] = [];
	if (outputs) parts.push(JSON.stringify(outputs.map((output) => output.map((item) => item.json))));
	if (error instanceof Error) {
		parts.push(error.message, String((error as { description?: unknown }).description ?? ''), JSON.stringify((error as { context?: unknown }).context ?? {}));
		const cause = (error as { cause?: unknown }).cause;
		if (cause instanceof Error) parts.push(cause.message);
	}
	return parts.join('\n');
}

/** Fails when any secret (or its base64 / URL-encoded form) appears in the text. */
export function expectNoSecrets(text: string, secrets: string[]): void {
	for (const secret of secrets) {
		const forms = [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
		for (const form of forms) if (text.includes(form)) throw new Error(`A secret appears in what the user sees: ${form}`);
	}
}
