import { PUBLIC_SUFFIX_RULES } from './data/publicSuffixRules';

/**
 * Registrable domain (eTLD+1) by the Public Suffix List algorithm (https://publicsuffix.org/list/):
 * the longest matching rule is the public suffix, an exception rule (`!www.ck`) beats every other rule,
 * a wildcard (`*.ck`) matches exactly one label, and an unlisted TLD is its own suffix (the implicit `*`).
 * The registrable domain is the public suffix plus one label: `shop.acme-tools.co.uk` → `acme-tools.co.uk`.
 */
interface SuffixRules {
	exact: Set<string>;
	/** The part after `*.` of each wildcard rule. */
	wildcardParents: Set<string>;
	/** The part after `!` of each exception rule. */
	exceptions: Set<string>;
}

let rules: SuffixRules | null = null;

/** Built once per process, on first use (about 10,000 rules). */
function suffixRules(): SuffixRules {
	if (rules) return rules;
	const built: SuffixRules = { exact: new Set(), wildcardParents: new Set(), exceptions: new Set() };
	for (const rule of PUBLIC_SUFFIX_RULES.split('\n')) {
		if (rule.startsWith('!')) built.exceptions.add(rule.slice(1));
		else if (rule.startsWith('*.')) built.wildcardParents.add(rule.slice(2));
		else if (rule !== '') built.exact.add(rule);
	}
	rules = built;
	return built;
}

export interface DomainParts {
	/** The registrable domain (eTLD+1), or null when the host is itself a public suffix (`co.uk`). */
	registrable: string | null;
	/** The public suffix (eTLD): `co.uk`, `com`, `com.au`. */
	publicSuffix: string;
}

/**
 * Splits a lower-case ASCII host name (as found in a normalised email address) into its registrable
 * domain and public suffix. Works on string offsets, not label arrays, because it runs once per order.
 */
export function domainParts(host: string): DomainParts {
	const { exact, wildcardParents, exceptions } = suffixRules();
	// Start offsets of each candidate suffix, longest first: "a.b.co.uk" → 0 ("a.b.co.uk"), 2, 4, 7 ("uk").
	const starts: number[] = [0];
	for (let index = host.indexOf('.'); index >= 0; index = host.indexOf('.', index + 1)) starts.push(index + 1);

	// An exception rule prevails over any other match: its suffix is the rule minus its first label.
	for (let i = 0; i < starts.length - 1; i++) {
		if (exceptions.has(host.slice(starts[i]))) {
			return { registrable: host.slice(starts[i]), publicSuffix: host.slice(starts[i + 1]) };
		}
	}
	for (let i = 0; i < starts.length; i++) {
		const candidate = host.slice(starts[i]);
		const wildcardMatch = i + 1 < starts.length && wildcardParents.has(host.slice(starts[i + 1]));
		if (exact.has(candidate) || wildcardMatch) {
			return { registrable: i > 0 ? host.slice(starts[i - 1]) : null, publicSuffix: candidate };
		}
	}
	// No rule: the last label is the suffix (the PSL's implicit "*" rule).
	const last = starts[starts.length - 1];
	return { registrable: starts.length > 1 ? host.slice(starts[starts.length - 2]) : null, publicSuffix: host.slice(last) };
}

export function registrableDomain(host: string): string | null {
	return domainParts(host).registrable;
}
