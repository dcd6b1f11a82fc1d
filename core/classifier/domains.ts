import { DISPOSABLE_EMAIL_DOMAINS } from './data/disposableEmailDomains';
import { FREE_EMAIL_DOMAINS } from './data/freeEmailDomains';
import { domainParts } from './publicSuffix';

let freeMail: Set<string> | null = null;
let disposable: Set<string> | null = null;

function lines(text: string): Set<string> {
	return new Set(text.split('\n'));
}

/** The shipped free-mail list (about 14,000 domains), built on first use. */
export function freeMailDomains(): Set<string> {
	return (freeMail ??= lines(FREE_EMAIL_DOMAINS));
}

/** The shipped disposable-address list (about 120,000 domains), built on first use. */
export function disposableDomains(): Set<string> {
	return (disposable ??= lines(DISPOSABLE_EMAIL_DOMAINS));
}

/**
 * The entry of `list` that covers `host`: the host itself or one of its parent domains down to the
 * registrable domain (so `eu.mailinator.com` is covered by `mailinator.com`, `privaterelay.appleid.com`
 * by itself, but `acme.au.com` never by a suffix above its registrable domain). Null when none does.
 */
export function listedDomain(host: string, registrable: string | null, list: ReadonlySet<string>): string | null {
	if (list.size === 0) return null;
	let candidate = host;
	for (;;) {
		if (list.has(candidate)) return candidate;
		if (registrable === null || candidate.length <= registrable.length) return null;
		candidate = candidate.slice(candidate.indexOf('.') + 1);
	}
}

export interface EmailDomainFacts {
	/** The email's domain as written (lower-case). */
	domain: string;
	/** eTLD+1, or null when the domain is itself a public suffix. */
	registrable: string | null;
	publicSuffix: string;
	/** The free-mail list entry covering the domain, or null. */
	freeMail: string | null;
	/** The disposable list entry covering the domain, or null. */
	disposable: string | null;
}

// Orders repeat a handful of domains (gmail.com...), so the facts are cached; bounded so a stream of
// unique domains cannot grow memory without limit.
const FACTS_CACHE_LIMIT = 50_000;
const factsCache = new Map<string, EmailDomainFacts>();

/** What the shipped lists and the Public Suffix List say about an email domain (lower-case ASCII). */
export function emailDomainFacts(domain: string): EmailDomainFacts {
	const cached = factsCache.get(domain);
	if (cached) return cached;
	const { registrable, publicSuffix } = domainParts(domain);
	const facts: EmailDomainFacts = {
		domain,
		registrable,
		publicSuffix,
		freeMail: listedDomain(domain, registrable, freeMailDomains()),
		disposable: listedDomain(domain, registrable, disposableDomains()),
	};
	if (factsCache.size >= FACTS_CACHE_LIMIT) factsCache.clear();
	factsCache.set(domain, facts);
	return facts;
}
