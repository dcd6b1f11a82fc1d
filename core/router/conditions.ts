/**
 * Route conditions, compiled once per run into plain predicates. A condition on a field the item does
 * not have is false (the field is noted, so an unmatched item says what was missing); a field whose
 * value cannot be read throws a NormalizationError and the item goes to Unmatched with that reason.
 */
import { SettingError } from '../classifier/settingError';
import type { Getter } from './fields';
import { DAY_MS, asItemFieldError, compilePath, isMissing, readAmount, readFlag, readTimeMillis } from './fields';
import { segmentMatchKeys } from './segmentValues';
import type { Condition, FieldOperator, RoutingRule } from './types';

/** What conditions read from the item being routed; values are computed once per item and cached. */
export interface ItemFacts {
	readonly json: Record<string, unknown>;
	/** Normalised segment (see normalizeKey), or null when the item has none. */
	segment(): string | null;
	lifecycleStage(): string | null;
	/** null when the item has no B2B flag. */
	isB2B(): boolean | null;
	/** predictedClv, else historicalClv; null when neither is present. */
	clv(): { value: number; source: 'predictedClv' | 'historicalClv' } | null;
	/** Remembers that a condition needed a field the item lacks (for the Unmatched reason). */
	noteMissing(field: string): void;
	referenceTime: number;
}

export type Predicate = (facts: ItemFacts) => boolean;

export interface CompiledRule {
	rule: RoutingRule;
	test: Predicate;
	/** "Default rule 3: segment is one of at_risk, cant_lose_them" — written as `matchedRule`. */
	description: string;
}

const OPERATOR_WORDS: Record<FieldOperator, string> = {
	equals: 'is',
	notEquals: 'is not',
	oneOf: 'is one of',
	contains: 'contains',
	startsWith: 'starts with',
	greaterThan: 'is greater than',
	greaterOrEqual: 'is at least',
	lessThan: 'is less than',
	lessOrEqual: 'is at most',
	isTrue: 'is true',
	isFalse: 'is false',
	exists: 'is present',
	notExists: 'is absent',
	withinLastDays: 'is within the last',
	olderThanDays: 'is more than',
};

export function compileRule(rule: RoutingRule, settingName: string): CompiledRule {
	if (rule.conditions.length === 0) {
		throw new SettingError(settingName, 'has no conditions; add at least one condition so the route knows which customers it takes');
	}
	const predicates = rule.conditions.map((condition, index) => compileCondition(condition, `${settingName}, condition ${index + 1}`));
	const descriptions = rule.conditions.map(describeCondition);
	const joiner = rule.match === 'all' ? ' and ' : ' or ';
	let test: Predicate;
	if (predicates.length === 1) {
		test = predicates[0];
	} else if (rule.match === 'all') {
		// Every condition is evaluated (no short cut) so all missing fields are noted for the reason.
		test = (facts) => {
			let result = true;
			for (const predicate of predicates) if (!predicate(facts)) result = false;
			return result;
		};
	} else {
		test = (facts) => {
			for (const predicate of predicates) if (predicate(facts)) return true;
			return false;
		};
	}
	return { rule, test, description: `${rule.id}: ${descriptions.join(joiner)}` };
}

export function compileCondition(condition: Condition, settingName: string): Predicate {
	switch (condition.kind) {
		case 'segment': {
			const keys = segmentMatchKeys(condition.values);
			if (keys.size === 0) throw new SettingError(settingName, 'lists no segment; pick at least one segment');
			return (facts) => {
				const segment = facts.segment();
				return segment !== null && keys.has(segment);
			};
		}
		case 'lifecycleStage': {
			const keys = segmentMatchKeys(condition.values);
			if (keys.size === 0) throw new SettingError(settingName, 'lists no lifecycle stage; pick at least one stage');
			return (facts) => {
				const stage = facts.lifecycleStage();
				return stage !== null && keys.has(stage);
			};
		}
		case 'b2b': {
			const wanted = condition.isB2B;
			return (facts) => (facts.isB2B() ?? false) === wanted;
		}
		case 'clvBand': {
			const { min, max } = condition;
			if (min !== null && max !== null && max <= min) {
				throw new SettingError(settingName, `the CLV band is empty: maximum ${max} is not above minimum ${min}`);
			}
			return (facts) => {
				const clv = facts.clv();
				if (clv === null) return false;
				return (min === null || clv.value >= min) && (max === null || clv.value < max);
			};
		}
		case 'field':
			return compileFieldCondition(condition.field, condition.operator, condition.value, settingName);
	}
}

function compileFieldCondition(field: string, operator: FieldOperator, rawValue: string, settingName: string): Predicate {
	const path = field.trim();
	if (path === '') throw new SettingError(settingName, 'has no field name; enter the field to test, e.g. "tags" or "address.country"');
	const get: Getter = compilePath(path);
	const text = rawValue.trim();

	if (operator === 'exists') return (facts) => !isMissing(get(facts.json));
	if (operator === 'notExists') return (facts) => isMissing(get(facts.json));

	// Every other operator needs the value; a missing one makes the condition false.
	const withValue = (test: (value: unknown, facts: ItemFacts) => boolean): Predicate => (facts) => {
		const value = get(facts.json);
		if (isMissing(value)) {
			facts.noteMissing(path);
			return false;
		}
		let failure: unknown;
		try {
			return test(value, facts);
		} catch (error) {
			failure = error;
		}
		throw asItemFieldError(failure, path, settingName, value);
	};

	switch (operator) {
		case 'isTrue':
			return withValue((value) => readFlag(value, path));
		case 'isFalse':
			return withValue((value) => !readFlag(value, path));
		case 'greaterThan':
		case 'greaterOrEqual':
		case 'lessThan':
		case 'lessOrEqual': {
			const limit = settingNumber(text, settingName);
			const compare = {
				greaterThan: (n: number) => n > limit,
				greaterOrEqual: (n: number) => n >= limit,
				lessThan: (n: number) => n < limit,
				lessOrEqual: (n: number) => n <= limit,
			}[operator];
			return withValue((value) => compare(readAmount(value, path)));
		}
		case 'withinLastDays':
		case 'olderThanDays': {
			const days = settingNumber(text, settingName);
			if (days < 0) throw new SettingError(settingName, `a number of days cannot be negative (got ${days})`);
			const windowMs = days * DAY_MS;
			return operator === 'withinLastDays'
				? withValue((value, facts) => facts.referenceTime - readTimeMillis(value, path) <= windowMs)
				: withValue((value, facts) => facts.referenceTime - readTimeMillis(value, path) > windowMs);
		}
		case 'equals':
		case 'notEquals': {
			const equalsValue = valueComparer(text);
			return operator === 'equals' ? withValue((value) => equalsValue(value)) : withValue((value) => !equalsValue(value));
		}
		case 'oneOf': {
			const options = splitList(text);
			if (options.length === 0) throw new SettingError(settingName, 'lists no values; separate the values with commas, e.g. "DE, AT, CH"');
			const comparers = options.map(valueComparer);
			return withValue((value) => comparers.some((equalsValue) => equalsValue(value)));
		}
		case 'contains': {
			const needle = text.toLowerCase();
			return withValue((value) =>
				Array.isArray(value) ? value.some((entry) => !isMissing(entry) && String(entry).trim().toLowerCase() === needle) : String(value).toLowerCase().includes(needle),
			);
		}
		case 'startsWith': {
			const prefix = text.toLowerCase();
			return withValue((value) => String(value).toLowerCase().startsWith(prefix));
		}
		default:
			throw new SettingError(settingName, `operator "${String(operator)}" is not one this node knows`);
	}
}

/**
 * Equality as an operator means it: numbers compare as numbers ("10" equals 10.0), yes/no values as
 * flags, text ignoring case and surrounding spaces.
 */
function valueComparer(expected: string): (value: unknown) => boolean {
	const lower = expected.toLowerCase();
	const number = expected === '' ? NaN : Number(expected);
	return (value) => {
		if (typeof value === 'number') return value === number;
		if (typeof value === 'boolean') return (value ? 'true' : 'false') === lower;
		return String(value).trim().toLowerCase() === lower;
	};
}

function splitList(text: string): string[] {
	return text
		.split(',')
		.map((part) => part.trim())
		.filter((part) => part !== '');
}

function settingNumber(text: string, settingName: string): number {
	const number = text === '' ? NaN : Number(text);
	if (!Number.isFinite(number)) throw new SettingError(settingName, `"${text}" is not a number; this operator compares numbers`);
	return number;
}

export function describeCondition(condition: Condition): string {
	switch (condition.kind) {
		case 'segment':
			return `segment is one of ${condition.values.join(', ')}`;
		case 'lifecycleStage':
			return `lifecycle stage is one of ${condition.values.join(', ')}`;
		case 'b2b':
			return condition.isB2B ? 'customer is B2B' : 'customer is not B2B';
		case 'clvBand':
			if (condition.min !== null && condition.max !== null) return `CLV from ${condition.min} to under ${condition.max}`;
			if (condition.min !== null) return `CLV at least ${condition.min}`;
			if (condition.max !== null) return `CLV under ${condition.max}`;
			return 'any CLV';
		case 'field': {
			const words = OPERATOR_WORDS[condition.operator] ?? condition.operator;
			if (condition.operator === 'isTrue' || condition.operator === 'isFalse' || condition.operator === 'exists' || condition.operator === 'notExists') {
				return `${condition.field} ${words}`;
			}
			if (condition.operator === 'withinLastDays') return `${condition.field} ${words} ${condition.value} days`;
			if (condition.operator === 'olderThanDays') return `${condition.field} ${words} ${condition.value} days ago`;
			return `${condition.field} ${words} "${condition.value}"`;
		}
	}
}

