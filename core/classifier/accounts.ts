/**
 * Company names and account identity: what counts as a real company name, the key that deduplicates
 * one company across orders, and the display name inferred from a domain.
 */

/** Values shoppers type into an optional "Company" box when they have none. Compared after normalising. */
const PLACEHOLDER_COMPANIES = new Set([
	'', 'na', 'n a', 'none', 'no', 'nil', 'null', 'nothing', 'no company', 'not applicable', 'private',
	'privat', 'prive', 'privado', 'privato', 'personal', 'person', 'individual', 'self', 'self employed',
	'home', 'house', 'me', 'myself', 'particulier', 'particular', 'keine', 'kein', 'ohne', 'nessuna', 'ninguna',
	'x', 'xx', 'xxx', 'test', 'customer', 'consumer', 'private person', 'privatperson', 'private customer',
	'privatkunde', 'residential', 'residence',
]);

/** Legal-form words dropped from the end of a company name when building its key. */
const LEGAL_FORMS = new Set([
	'ltd', 'limited', 'llc', 'llp', 'lp', 'inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'plc',
	'gmbh', 'mbh', 'ag', 'kg', 'ohg', 'ug', 'eg', 'ev', 'gbr', 'se', 'sa', 'sas', 'sarl', 'eurl', 'sl', 'slu',
	'srl', 'spa', 'snc', 'bv', 'nv', 'vof', 'ab', 'as', 'asa', 'aps', 'oy', 'oyj', 'pty', 'pte', 'bhd',
	'sdn', 'kk', 'sro', 'sp', 'z', 'oo', 'kft', 'zrt', 'doo', 'ooo', 'ltda', 'eireli', 'cv', 'de', 'and',
]);

/** Lower-case, accents and punctuation removed, `&` read as "and", spaces collapsed. */
const NON_ASCII = /[^ -~\t\n\r]/;

export function simplifyName(value: string): string {
	// Unicode normalisation is the slow part; most names are plain ASCII and skip it.
	const folded = NON_ASCII.test(value) ? value.normalize('NFKD').replace(/[\u0300-\u036f]/g, '') : value;
	const lower = folded.toLowerCase();
	return (lower.includes('&') ? lower.replace(/&/g, ' and ') : lower)
		.replace(/[^a-z0-9]+/g, ' ')
		.trim();
}

export function isPlaceholderCompany(value: string): boolean {
	return isPlaceholderName(simplifyName(value));
}

/** isPlaceholderCompany for a name already passed through simplifyName. */
export function isPlaceholderName(simple: string): boolean {
	return PLACEHOLDER_COMPANIES.has(simple) || !/[a-z0-9]/.test(simple) || /^\d+$/.test(simple);
}

/**
 * The account key of a company known by name: simplified, with trailing legal forms removed, so that
 * "ACME Tools Ltd." and "Acme Tools Limited" share `acme tools`. Keeps the name when only legal words remain.
 */
export function companyNameKey(company: string): string | null {
	// Dotted abbreviations become one word first: "S.p.A." → "SpA", "B.V." → "BV", "o.o." → "oo".
	const simple = simplifyName(company.replace(/\b(?:[A-Za-z]\.){2,}/g, (dotted) => dotted.replace(/\./g, '')));
	if (simple === '') return null;
	const words = simple.split(' ');
	let end = words.length;
	while (end > 1 && LEGAL_FORMS.has(words[end - 1])) end--;
	return words.slice(0, end).join(' ');
}

/** True for text that is only legal-form words ("Inc.", "GmbH & Co. KG"), e.g. the tail of "Acme, Inc.". */
export function isLegalFormOnly(text: string): boolean {
	const simple = simplifyName(text.replace(/\b(?:[A-Za-z]\.){2,}/g, (dotted) => dotted.replace(/\./g, '')));
	return simple !== '' && simple.split(' ').every((word) => LEGAL_FORMS.has(word));
}

/** The company name as written, with whitespace collapsed, for display. */
export function tidyCompanyName(company: string): string {
	return company.replace(/\s+/g, ' ').trim();
}

/**
 * A display name guessed from a registrable domain: `acme-tools.co.uk` → "Acme Tools",
 * `bakery_by_jo.com` → "Bakery By Jo". Punycode (IDN) domains keep the domain itself.
 */
export function accountNameFromDomain(registrable: string): string {
	const label = registrable.slice(0, registrable.indexOf('.'));
	if (label === '' || label.startsWith('xn--')) return registrable;
	return label
		.split(/[-_]+/)
		.filter((word) => word !== '')
		.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
		.join(' ');
}

/** True when the company field only repeats the shopper's own name ("Jane Smith" for Jane Smith). */
export function companyIsPersonName(company: string, personNames: readonly string[]): boolean {
	return simplifiedCompanyIsPersonName(simplifyName(company), personNames);
}

/**
 * companyIsPersonName for a company name already passed through simplifyName. `simplify` may be a
 * remembering version of simplifyName (a run sees the same shoppers' names many times).
 */
export function simplifiedCompanyIsPersonName(simple: string, personNames: readonly string[], simplify: (name: string) => string = simplifyName): boolean {
	if (simple === '') return false;
	let companyWords: Set<string> | null = null;
	for (const name of personNames) {
		const person = simplify(name);
		if (person === '') continue;
		if (simple === person) return true;
		// "Smith, Jane": the same words in another order.
		const personWords = person.split(' ');
		companyWords ??= new Set(simple.split(' '));
		if (personWords.length >= 2 && companyWords.size === personWords.length && personWords.every((word) => companyWords!.has(word))) return true;
	}
	return false;
}
