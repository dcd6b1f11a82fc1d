import { normalizeEmail } from '../model/email';
import { currencyDecimals, normalizeCurrency, parseMoney } from '../model/money';
import type { B2bClassificationFields } from '../model/segments';
import { accountNameFromDomain, companyNameKey, isLegalFormOnly, isPlaceholderName, simplifiedCompanyIsPersonName, simplifyName, tidyCompanyName } from './accounts';
import type { RateTable, TotalComparison } from './currency';
import { toThresholdCurrency } from './currency';
import { emailDomainFacts, listedDomain } from './domains';
import type { ClassifierInput } from './input';
import { SettingError } from './settingError';
import type { SignalId } from './signals';
import { SIGNAL_WEIGHTS, assessRoleAddress, assessTaxId, findBusinessAddressWord } from './signals';

export type ClassificationMode = 'weightedScore' | 'thresholdRule';

export interface ClassifierSettings {
	mode: ClassificationMode;
	/** In the rate table's currency. */
	orderTotalThreshold: number;
	rateTable: RateTable;
	/** Weighted score: B2B when score ≥ this. */
	scoreThreshold: number;
	/** Weighted score: a line item with at least this quantity is wholesale-size. */
	wholesaleQuantity: number;
	/** Weighted score: domains (acme.com) or company names the operator knows to be businesses. */
	knownBusinesses?: readonly string[];
	/** Weighted score: domains or full addresses the operator knows to be consumers. */
	listedConsumers?: readonly string[];
	/** Both modes: domains to treat as free-mail in addition to the shipped list (a local ISP, say). */
	extraFreeMailDomains?: readonly string[];
}

/** A problem with the item's data: it is classified anyway, on the signals left. */
export interface InputProblem {
	field: string;
	message: string;
}

export interface B2bClassification extends B2bClassificationFields {
	classificationMode: ClassificationMode;
	/** The signals that fired, with their points (threshold rule: 1 per condition met). */
	signals: Partial<Record<SignalId, number>>;
	warnings: string[];
}

export interface ClassificationResult {
	fields: B2bClassification;
	problems: InputProblem[];
}

const DOMAIN_SHAPE = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

function splitEntries(entries: readonly string[] | undefined): string[] {
	const result: string[] = [];
	for (const entry of entries ?? []) {
		for (const part of String(entry).split(/[\n,;]+/)) {
			const trimmed = part.trim();
			if (trimmed !== '') result.push(trimmed);
		}
	}
	return result;
}

/** "@acme.com", "www.acme.com", "https://acme.com/" → "acme.com"; null when it is not a domain. */
function asDomain(entry: string): string | null {
	const text = entry
		.toLowerCase()
		.replace(/^[a-z]+:\/\//, '')
		.replace(/^@/, '')
		.replace(/^www\./, '')
		.replace(/\/.*$/, '');
	return DOMAIN_SHAPE.test(text) ? text : null;
}

function checkNumber(parameter: string, value: number, minimum?: number): number {
	if (typeof value !== 'number' || !Number.isFinite(value) || (minimum !== undefined && value < minimum)) {
		const wanted = minimum === undefined ? 'a number' : `a number of at least ${minimum}`;
		throw new SettingError(parameter, `must be ${wanted}, got ${JSON.stringify(value) ?? 'nothing'}`);
	}
	return value;
}

function signed(points: number): string {
	return points >= 0 ? `+${points}` : `−${-points}`;
}

function money(amount: number, currency: string): string {
	return `${amount.toFixed(currencyDecimals(currency))} ${currency}`;
}

function quoted(value: unknown): string {
	const text = typeof value === 'string' ? value.trim() : JSON.stringify(value) ?? String(value);
	return `"${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`;
}

/** The amount, or null when the value is not an amount (parseMoney's NormalizationError). */
function readMoney(value: unknown, field: string): number | null {
	try {
		return parseMoney(value, field);
	} catch {
		return null;
	}
}

const INVALID = Symbol('invalid currency');

/** The ISO code, null when absent, INVALID when it is not a three-letter code. */
function readCurrency(value: unknown, field: string): string | null | typeof INVALID {
	try {
		return normalizeCurrency(value, field);
	} catch {
		return INVALID;
	}
}

const NO_PROBLEMS: InputProblem[] = Object.freeze([]) as unknown as InputProblem[];

/** Remembers make(key) per key, up to 10,000 keys (then starts over), so repeated texts are one string. */
function memo<K>(make: (key: K) => string): (key: K) => string {
	const made = new Map<K, string>();
	return (key) => {
		let text = made.get(key);
		if (text === undefined) {
			if (made.size >= 10_000) made.clear();
			text = make(key);
			made.set(key, text);
		}
		return text;
	};
}

/**
 * Builds the classifier for one node run: settings are checked and lists indexed once, then each call
 * classifies one item in O(1) list lookups. Throws SettingError for a setting the operator must fix.
 */
export function compileClassifier(settings: ClassifierSettings): (input: ClassifierInput) => ClassificationResult {
	const mode = settings.mode;
	if (mode !== 'weightedScore' && mode !== 'thresholdRule') throw new SettingError('Mode', `unknown mode ${JSON.stringify(mode)}`);
	const threshold = checkNumber('Order Total Threshold', settings.orderTotalThreshold, 0);
	const scoreThreshold = checkNumber('Score Threshold', settings.scoreThreshold);
	const wholesaleQuantity = checkNumber('Wholesale Quantity', settings.wholesaleQuantity, 1);
	const table = settings.rateTable;
	const thresholdText = money(threshold, table.currency);
	const weighted = mode === 'weightedScore';

	const extraFreeMail = new Set<string>();
	for (const entry of splitEntries(settings.extraFreeMailDomains)) {
		const domain = asDomain(entry);
		if (!domain) throw new SettingError('Additional Free-Mail Domains', `${quoted(entry)} is not a domain such as "myisp.net"`);
		extraFreeMail.add(domain);
	}
	const knownDomains = new Set<string>();
	const knownNames = new Map<string, string>();
	const consumerDomains = new Set<string>();
	const consumerEmails = new Set<string>();
	if (weighted) {
		// "Acme, Inc." is one company: a fragment that is only a legal form joins the entry before it.
		const businesses: string[] = [];
		for (const entry of splitEntries(settings.knownBusinesses)) {
			if (businesses.length > 0 && isLegalFormOnly(entry)) businesses[businesses.length - 1] += `, ${entry}`;
			else businesses.push(entry);
		}
		for (const entry of businesses) {
			const domain = entry.includes(' ') ? null : asDomain(entry);
			if (domain) knownDomains.add(domain);
			else {
				const key = companyNameKey(entry);
				if (key) knownNames.set(key, entry);
			}
		}
		for (const entry of splitEntries(settings.listedConsumers)) {
			const email = normalizeEmail(entry).email;
			const domain = email ? null : asDomain(entry);
			if (email) consumerEmails.add(email);
			else if (domain) consumerDomains.add(domain);
			else throw new SettingError('Known Consumers', `${quoted(entry)} is neither a domain (myisp.net) nor an email address`);
		}
	}

	const points = (signal: SignalId) => (weighted ? SIGNAL_WEIGHTS[signal] : 1);
	const fired = (signal: SignalId, text: string) => (weighted ? `${text} (${signed(SIGNAL_WEIGHTS[signal])})` : `${text} (rule: B2B)`);
	// Reasons repeat across orders ("Free-mail domain gmail.com: ...", "Score 0 is below 50: B2C"): each is
	// made once per run and shared (strings are immutable), which keeps 100,000 outputs small and fast.
	const disposableReason = memo((listed: string) => (weighted ? fired('disposableEmail', `Disposable email domain ${listed}`) : `Disposable email domain ${listed}: not a company domain`));
	const freeMailReason = memo((listed: string) => `Free-mail domain ${listed}: not a company domain`);
	const companyDomainReason = memo((registrable: string) => fired('companyEmailDomain', `Company email domain ${registrable}`));
	const purchasingReason = memo((word: string) => fired('purchasingRoleAddress', `Purchasing/accounts mailbox ${word}@`));
	const sharedReason = memo((word: string) => fired('sharedRoleAddress', `Shared mailbox ${word}@`));
	const quantityReason = memo((largest: number) => fired('wholesaleQuantity', `Line item quantity ${largest} (wholesale size, ${wholesaleQuantity} or more)`));
	const scoreReason = memo((score: number) => (score >= scoreThreshold ? `Score ${score} reaches ${scoreThreshold}: B2B` : `Score ${score} is below ${scoreThreshold}: B2C`));
	const ruleB2cReason = `Order total not over ${thresholdText} and no company email domain: B2C`;

	return (input) => {
		const reasons: string[] = [];
		let problems: InputProblem[] | null = null;
		const signals: Partial<Record<SignalId, number>> = {};
		let score = 0;
		const fire = (signal: SignalId, text: string) => {
			signals[signal] = points(signal);
			score += points(signal);
			reasons.push(text);
		};
		const problem = (field: string, message: string) => {
			(problems ??= []).push({ field, message });
			reasons.push(message);
		};

		// ---- email -------------------------------------------------------------------------------
		let email: string | null = null;
		let host: string | null = null;
		let companyDomain: string | null = null;
		let disposableEmail = false;
		const rawEmail = input.email.value;
		if (rawEmail === undefined || rawEmail === null || (typeof rawEmail === 'string' && rawEmail.trim() === '')) {
			problem(input.email.path, `No email in "${input.email.path}": email signals not used — map the customer's email in "Email Field"`);
		} else {
			email = normalizeEmail(rawEmail).email;
			if (!email) problem(input.email.path, `Email ${quoted(rawEmail)} in "${input.email.path}" is not a valid address: email signals not used`);
		}
		if (email) {
			host = email.slice(email.lastIndexOf('@') + 1);
			const facts = emailDomainFacts(host);
			const registrable = facts.registrable;
			const extraFree = extraFreeMail.size ? listedDomain(host, registrable, extraFreeMail) : null;
			const consumerListed = weighted ? (consumerEmails.has(email) ? email : listedDomain(host, registrable, consumerDomains)) : null;
			if (facts.disposable) {
				const listed = facts.disposable;
				disposableEmail = true;
				if (weighted) fire('disposableEmail', disposableReason(listed));
				else reasons.push(disposableReason(listed));
			} else if (registrable === null) {
				reasons.push(`Email domain ${host} is a public suffix, not an organisation's domain`);
			} else if (facts.freeMail || extraFree) {
				reasons.push(facts.freeMail ? freeMailReason(facts.freeMail) : `Free-mail domain ${extraFree} (your list): not a company domain`);
			} else if (!consumerListed) {
				companyDomain = registrable;
				fire('companyEmailDomain', companyDomainReason(registrable));
			}
			if (consumerListed) fire('listedConsumer', fired('listedConsumer', `Listed consumer ${consumerListed} (your list)`));
			if (weighted && knownDomains.size) {
				const known = listedDomain(host, registrable, knownDomains);
				if (known) fire('knownBusiness', fired('knownBusiness', `Known business ${known} (your list)`));
			}
			// A mailbox name at a throw-away domain says nothing about a department.
			if (weighted && !disposableEmail) {
				const role = assessRoleAddress(email);
				if (role?.kind === 'purchasing') fire('purchasingRoleAddress', purchasingReason(role.word));
				else if (role) fire('sharedRoleAddress', sharedReason(role.word));
			}
		}

		// ---- order total ---------------------------------------------------------------------------
		if (input.hasTotal) {
			const totalPath = input.total.path;
			const rawTotal = input.total.value;
			let amount: number | null = null;
			if (rawTotal === undefined || rawTotal === null || (typeof rawTotal === 'string' && rawTotal.trim() === '')) {
				problem(totalPath, `No order total in "${totalPath}": order total signal not used`);
			} else {
				amount = typeof rawTotal === 'number' && Number.isFinite(rawTotal) ? rawTotal : readMoney(rawTotal, totalPath);
				if (amount === null) problem(totalPath, `Order total ${quoted(rawTotal)} in "${totalPath}" is not a number: order total signal not used`);
			}
			const currency = readCurrency(input.currency.value, input.currency.path);
			if (currency === INVALID) {
				problem(
					input.currency.path,
					`Currency ${quoted(input.currency.value)} in "${input.currency.path}" is not a currency code such as "EUR": order total not compared`,
				);
			} else if (amount !== null) {
				const comparison: TotalComparison = toThresholdCurrency(amount, currency, table);
				if (!comparison.comparable) {
					problem(
						input.currency.path,
						`Order total ${money(amount, comparison.currency)} not comparable with ${thresholdText}: no exchange rate for ${comparison.currency} — add one under "Exchange Rates"`,
					);
				} else if (comparison.converted > threshold) {
					const shown =
						comparison.rate !== 1
							? `${money(amount, comparison.currency)} = ${money(comparison.converted, table.currency)}`
							: `${money(amount, table.currency)}${comparison.assumedCurrency ? ' (no currency on the order; taken as ' + table.currency + ')' : ''}`;
					fire('orderTotalOverThreshold', fired('orderTotalOverThreshold', `Order total ${shown} over ${thresholdText}`));
				}
			}
		}

		// ---- company name (account name in both modes; a signal in the weighted score) -----------------
		let companyName: string | null = null;
		const rawCompany = input.company.value;
		if (typeof rawCompany === 'string' && rawCompany.trim() !== '' && (weighted || score > 0)) {
			const simple = simplifyName(rawCompany);
			if (isPlaceholderName(simple)) reasons.push(`Company ${quoted(rawCompany)} looks like a placeholder: ignored`);
			else if (simplifiedCompanyIsPersonName(simple, input.personNames())) reasons.push(`Company ${quoted(rawCompany)} is the customer's own name: ignored`);
			else companyName = tidyCompanyName(rawCompany);
		}

		// ---- tax id, quantities, address (weighted score only) -------------------------------------------
		if (weighted) {
			if (companyName) {
				if (input.company.path.endsWith('shippingAddress.company')) fire('shippingCompanyOnly', fired('shippingCompanyOnly', `Company "${companyName}" in the shipping address only`));
				else fire('companyName', fired('companyName', `Company name "${companyName}"`));
				if (knownNames.size) {
					const key = companyNameKey(companyName);
					if (key && knownNames.has(key)) fire('knownBusiness', fired('knownBusiness', `Known business "${knownNames.get(key)}" (your list)`));
				}
			}
			const rawTaxId = input.taxId.value;
			if ((typeof rawTaxId === 'string' && rawTaxId.trim() !== '') || typeof rawTaxId === 'number') {
				const taxId = assessTaxId(String(rawTaxId));
				if (taxId.kind === 'business') fire('businessTaxId', fired('businessTaxId', `${taxId.label === 'VAT number' ? 'VAT number' : 'Tax id'} ${taxId.value}`));
				else if (taxId.kind === 'personal') reasons.push(`Tax id ${taxId.value} is a personal ${taxId.label}: not a business signal`);
				else reasons.push(`Tax id ${quoted(taxId.value)} ${taxId.why}: ignored`);
			}
			const largest = input.largestQuantity;
			if (largest >= wholesaleQuantity) fire('wholesaleQuantity', quantityReason(largest));
			const addressTexts = input.addressTexts();
			// One regular-expression pass over all lines; the line is looked up only when a word is found.
			if (addressTexts.length > 0 && findBusinessAddressWord(addressTexts.join('\n'))) {
				for (const text of addressTexts) {
					const word = findBusinessAddressWord(text);
					if (word) {
						fire('businessAddress', fired('businessAddress', `Business address "${word}" in "${text.trim()}"`));
						break;
					}
				}
			}
		}

		// ---- decision ----------------------------------------------------------------------------------
		let isB2B: boolean;
		if (weighted) {
			isB2B = score >= scoreThreshold;
			reasons.push(scoreReason(score));
		} else {
			isB2B = score > 0;
			if (!isB2B) reasons.push(ruleB2cReason);
		}

		let accountKey: string | null = null;
		let accountName: string | null = null;
		if (isB2B) {
			if (companyDomain) {
				accountKey = companyDomain;
				accountName = companyName ?? accountNameFromDomain(companyDomain);
			} else if (companyName) {
				accountKey = companyNameKey(companyName);
				accountName = companyName;
			}
		}

		const found: InputProblem[] = problems ?? NO_PROBLEMS;
		return {
			fields: {
				isB2B,
				score,
				reasons,
				emailDomain: host,
				accountKey,
				accountName,
				disposableEmail,
				classificationMode: mode,
				signals,
				warnings: problems ? found.map((entry) => entry.message) : [],
			},
			problems: found,
		};
	};
}
