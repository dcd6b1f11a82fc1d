/**
 * Email identity hygiene shared by every node: trimmed, lower-cased, checked for a plausible shape.
 * Lower-casing the local part is deliberate: CRMs and Customer.io treat case-variants as one person,
 * and almost no mailbox provider distinguishes them.
 */
export interface NormalizedEmail {
	/** The usable address, or null when absent or invalid. */
	email: string | null;
	/** The text received when it was present but not a valid address; null otherwise. */
	invalid: string | null;
}

// Pragmatic RFC 5322 subset: a dot-atom local part, a domain with at least one dot and a 2+ letter TLD.
const EMAIL_PATTERN = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function normalizeEmail(value: unknown): NormalizedEmail {
	if (value === undefined || value === null) return { email: null, invalid: null };
	if (typeof value !== 'string') return { email: null, invalid: String(value) };
	let text = value.trim();
	if (text === '') return { email: null, invalid: null };
	// "Jane Doe <jane@example.com>" and "mailto:" links are common in exports.
	const angle = /<([^<>]+)>\s*$/.exec(text);
	if (angle) text = angle[1].trim();
	text = text.replace(/^mailto:/i, '').toLowerCase();
	if (text.length > 254 || !EMAIL_PATTERN.test(text)) return { email: null, invalid: value.trim() };
	return { email: text, invalid: null };
}

export function isValidEmail(value: unknown): boolean {
	return normalizeEmail(value).email !== null;
}

/** The domain part of an already normalised email, or null. */
export function emailDomain(email: string | null | undefined): string | null {
	if (!email) return null;
	const at = email.lastIndexOf('@');
	return at >= 0 ? email.slice(at + 1) : null;
}
