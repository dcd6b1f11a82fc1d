import { NormalizationError, describeValue } from '../model/errors';

/**
 * Enum attributes (segment, lifecycle stage, VIP tier…) normalised to the one spelling the operator
 * chose, so that "VIP", "Vip" and "vip" do not become three values that Customer.io segments must each
 * match. Values are compared on a key that ignores case, spaces, underscores, hyphens and punctuation,
 * so the RFM Scorer's machine value `at_risk` and its label "At Risk" are the same value.
 */
export interface EnumRule {
	/** Attribute (or event property) name the rule applies to. */
	attribute: string;
	/**
	 * The allowed spellings, each optionally followed by aliases: `VIP=premium|v.i.p.` means "VIP",
	 * and also what to write when the input says "premium".
	 */
	values: string[];
}

export type UnknownEnumPolicy = 'error' | 'keep';

export function enumKey(value: string): string {
	return value.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Parses the operator's text `Champions, Loyal, At Risk, VIP=premium|v.i.p.` into a rule's values. */
export function parseEnumValues(text: string): string[] {
	return text
		.split(/[,\n]/)
		.map((v) => v.trim())
		.filter((v) => v !== '');
}

export class EnumNormalizer {
	private readonly rules = new Map<string, { canonical: string[]; byKey: Map<string, string> }>();

	constructor(
		rules: EnumRule[],
		private readonly unknown: UnknownEnumPolicy = 'error',
	) {
		for (const rule of rules) {
			const name = rule.attribute.trim();
			if (name === '') continue;
			const entry = this.rules.get(name) ?? { canonical: [], byKey: new Map<string, string>() };
			for (const spec of rule.values) {
				const [canonicalText, aliasText = ''] = spec.split('=');
				const canonical = canonicalText.trim();
				if (canonical === '') continue;
				entry.canonical.push(canonical);
				for (const variant of [canonical, ...aliasText.split('|')]) {
					const key = enumKey(variant);
					if (key === '') continue;
					const existing = entry.byKey.get(key);
					if (existing !== undefined && existing !== canonical) {
						throw new Error(`Enum attribute "${name}": "${variant}" would mean both "${existing}" and "${canonical}" — give each spelling once`);
					}
					entry.byKey.set(key, canonical);
				}
			}
			this.rules.set(name, entry);
		}
	}

	has(attribute: string): boolean {
		return this.rules.has(attribute);
	}

	get attributes(): string[] {
		return Array.from(this.rules.keys());
	}

	/**
	 * The operator's spelling of `value` for this attribute. Empty values pass through (the caller decides
	 * what empty means). An unknown value is an error naming the field (or kept, if the operator said so).
	 */
	normalize(attribute: string, value: unknown, field: string): unknown {
		const rule = this.rules.get(attribute);
		if (!rule || value === undefined || value === null || value === '') return value;
		if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
			throw new NormalizationError(field, `${describeValue(value)} cannot be a value of "${attribute}" — it must be one of ${rule.canonical.map((c) => `"${c}"`).join(', ')}`, value);
		}
		const text = String(value).trim();
		const canonical = rule.byKey.get(enumKey(text));
		if (canonical !== undefined) return canonical;
		if (this.unknown === 'keep') return text;
		throw new NormalizationError(
			field,
			`${describeValue(value)} is not one of the spellings set for "${attribute}" (${rule.canonical.map((c) => `"${c}"`).join(', ')}) — add it under "Enum Attributes", or fix the value at the source`,
			value,
		);
	}
}
