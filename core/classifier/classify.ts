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

/** Records a problem with the item's data (also a reason); returns the list, created on the first problem. */
function addProblem(problems: InputProblem[] | null, reasons: string[], field: string, message: string): InputProblem[] {
	const list = problems ?? [];
	list.push({ field, message });
	reasons.push(message);
	return list;
}

/** Remembers make(key) per key, up to 10,000 keys (then starts over): repeated texts are made once per run. */
function memo<K, V = string>(make: (key: K) => V): (key: K) => V {
	const made = new Map<K, V>();
	return (key) => {
		let value = made.get(key);
		if (value === undefined) {
			if (made.size >= 10_000) made.clear();
			value = make(key);
			made.set(key, value);
		}
		return value;
	};
}

/** The output fields being filled for one item (returned as they are: no copy). */
function fire(fields: B2bClassification, signal: SignalId, points: number, text: string): void {
	fields.signals[signal] = points;
	fields.score += points;
	fields.reasons.push(text);
}

const ONE_POINT_EACH = Object.fromEntries(Object.keys(SIGNAL_WEIGHTS).map((signal) => [signal, 1])) as Record<SignalId, number>;

/** What a company field says, worked out once per distinct text in a run. */
interface CompanyText {
	/** simplifyName of the text. */
	simple: string;
	placeholder: boolean;
	/** The name as shown (tidyCompanyName). */
	tidy: string;
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

	const points = weighted ? SIGNAL_WEIGHTS : ONE_POINT_EACH;
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
	const currencyCode = memo((value: string) => readCurrency(value, ''));
	// Company names and shoppers' names repeat across a customer's orders: simplified once per run.
	const companyText = memo((raw: string): CompanyText => {
		const simple = simplifyName(raw);
		return { simple, placeholder: isPlaceholderName(simple), tidy: tidyCompanyName(raw) };
	});
	const simplifiedName = memo(simplifyName);
	const companyNameReason = memo((name: string) => fired('companyName', `Company name "${name}"`));
	const accountNameFor = memo(accountNameFromDomain);
	const nameKey = memo((name: string) => companyNameKey(name));

	// Reasons are gathered in one reused list and copied out at their final length: 100,000 outputs then
	// hold short arrays, not arrays grown with room to spare, which keeps the garbage collector's work down.
	const gathered: string[] = [];

	return (input) => {
		gathered.length = 0;
		const fields: B2bClassification = {
			isB2B: false,
			score: 0,
			reasons: gathered,
			emailDomain: null,
			accountKey: null,
			accountName: null,
			disposableEmail: false,
			classificationMode: mode,
			signals: {},
			warnings: [],
		};
		const reasons = fields.reasons;
		let problems: InputProblem[] | null = null;

		// ---- email -------------------------------------------------------------------------------
		let email: string | null = null;
		let host: string | null = null;
		let companyDomain: string | null = null;
		const rawEmail = input.email.value;
		const emailPath = input.email.path;
		if (rawEmail === undefined || rawEmail === null || (typeof rawEmail === 'string' && rawEmail.trim() === '')) {
			problems = addProblem(problems, reasons, emailPath, `No email in "${emailPath}": email signals not used — map the customer's email in "Email Field"`);
		} else {
			email = normalizeEmail(rawEmail).email;
			if (!email) problems = addProblem(problems, reasons, emailPath, `Email ${quoted(rawEmail)} in "${emailPath}" is not a valid address: email signals not used`);
		}
		if (email) {
			host = email.slice(email.lastIndexOf('@') + 1);
			fields.emailDomain = host;
			const facts = emailDomainFacts(host);
			const registrable = facts.registrable;
			const extraFree = extraFreeMail.size ? listedDomain(host, registrable, extraFreeMail) : null;
			const consumerListed = weighted ? (consumerEmails.has(email) ? email : listedDomain(host, registrable, consumerDomains)) : null;
			if (facts.disposable) {
				const listed = facts.disposable;
				fields.disposableEmail = true;
				if (weighted) fire(fields, 'disposableEmail', points.disposableEmail, disposableReason(listed));
				else reasons.push(disposableReason(listed));
			} else if (registrable === null) {
				reasons.push(`Email domain ${host} is a public suffix, not an organisation's domain`);
			} else if (facts.freeMail || extraFree) {
				reasons.push(facts.freeMail ? freeMailReason(facts.freeMail) : `Free-mail domain ${extraFree} (your list): not a company domain`);
			} else if (!consumerListed) {
				companyDomain = registrable;
				fire(fields, 'companyEmailDomain', points.companyEmailDomain, companyDomainReason(registrable));
			}
			if (consumerListed) fire(fields, 'listedConsumer', points.listedConsumer, fired('listedConsumer', `Listed consumer ${consumerListed} (your list)`));
			if (weighted && knownDomains.size) {
				const known = listedDomain(host, registrable, knownDomains);
				if (known) fire(fields, 'knownBusiness', points.knownBusiness, fired('knownBusiness', `Known business ${known} (your list)`));
			}
			// A mailbox name at a throw-away domain says nothing about a department.
			if (weighted && !fields.disposableEmail) {
				const role = assessRoleAddress(email);
				if (role?.kind === 'purchasing') fire(fields, 'purchasingRoleAddress', points.purchasingRoleAddress, purchasingReason(role.word));
				else if (role) fire(fields, 'sharedRoleAddress', points.sharedRoleAddress, sharedReason(role.word));
			}
		}

		// ---- order total ---------------------------------------------------------------------------
		if (input.hasTotal) {
			const totalPath = input.total.path;
			const rawTotal = input.total.value;
			let amount: number | null = null;
			if (rawTotal === undefined || rawTotal === null || (typeof rawTotal === 'string' && rawTotal.trim() === '')) {
				problems = addProblem(problems, reasons, totalPath, `No order total in "${totalPath}": order total signal not used`);
			} else {
				amount = typeof rawTotal === 'number' && Number.isFinite(rawTotal) ? rawTotal : readMoney(rawTotal, totalPath);
				if (amount === null) problems = addProblem(problems, reasons, totalPath, `Order total ${quoted(rawTotal)} in "${totalPath}" is not a number: order total signal not used`);
			}
			const rawCurrency = input.currency.value;
			const currency = typeof rawCurrency === 'string' ? currencyCode(rawCurrency) : readCurrency(rawCurrency, input.currency.path);
			if (currency === INVALID) {
				problems = addProblem(
					problems,
					reasons,
					input.currency.path,
					`Currency ${quoted(rawCurrency)} in "${input.currency.path}" is not a currency code such as "EUR": order total not compared`,
				);
			} else if (amount !== null) {
				const comparison: TotalComparison = toThresholdCurrency(amount, currency, table);
				if (!comparison.comparable) {
					problems = addProblem(
						problems,
						reasons,
						input.currency.path,
						`Order total ${money(amount, comparison.currency)} not comparable with ${thresholdText}: no exchange rate for ${comparison.currency} — add one under "Exchange Rates"`,
					);
				} else if (comparison.converted > threshold) {
					const shown =
						comparison.rate !== 1
							? `${money(amount, comparison.currency)} = ${money(comparison.converted, table.currency)}`
							: `${money(amount, table.currency)}${comparison.assumedCurrency ? ' (no currency on the order; taken as ' + table.currency + ')' : ''}`;
					fire(fields, 'orderTotalOverThreshold', points.orderTotalOverThreshold, fired('orderTotalOverThreshold', `Order total ${shown} over ${thresholdText}`));
				}
			}
		}

		// ---- company name (account name in both modes; a signal in the weighted score) -----------------
		let companyName: string | null = null;
		const rawCompany = input.company.value;
		if (typeof rawCompany === 'string' && rawCompany.trim() !== '' && (weighted || fields.score > 0)) {
			const company = companyText(rawCompany);
			if (company.placeholder) reasons.push(`Company ${quoted(rawCompany)} looks like a placeholder: ignored`);
			else if (simplifiedCompanyIsPersonName(company.simple, input.personNames(), simplifiedName)) reasons.push(`Company ${quoted(rawCompany)} is the customer's own name: ignored`);
			else companyName = company.tidy;
		}

		// ---- tax id, quantities, address (weighted score only) -------------------------------------------
		if (weighted) {
			if (companyName) {
				if (input.company.path.endsWith('shippingAddress.company')) fire(fields, 'shippingCompanyOnly', points.shippingCompanyOnly, fired('shippingCompanyOnly', `Company "${companyName}" in the shipping address only`));
				else fire(fields, 'companyName', points.companyName, companyNameReason(companyName));
				if (knownNames.size) {
					const key = nameKey(companyName);
					if (key && knownNames.has(key)) fire(fields, 'knownBusiness', points.knownBusiness, fired('knownBusiness', `Known business "${knownNames.get(key)}" (your list)`));
				}
			}
			const rawTaxId = input.taxId.value;
			if ((typeof rawTaxId === 'string' && rawTaxId.trim() !== '') || typeof rawTaxId === 'number') {
				const taxId = assessTaxId(String(rawTaxId));
				if (taxId.kind === 'business') fire(fields, 'businessTaxId', points.businessTaxId, fired('businessTaxId', `${taxId.label === 'VAT number' ? 'VAT number' : 'Tax id'} ${taxId.value}`));
				else if (taxId.kind === 'personal') reasons.push(`Tax id ${taxId.value} is a personal ${taxId.label}: not a business signal`);
				else reasons.push(`Tax id ${quoted(taxId.value)} ${taxId.why}: ignored`);
			}
			const largest = input.largestQuantity;
			if (largest >= wholesaleQuantity) fire(fields, 'wholesaleQuantity', points.wholesaleQuantity, quantityReason(largest));
			// The first address line with a business word fires the signal.
			for (const text of input.addressTexts()) {
				const word = findBusinessAddressWord(text);
				if (word) {
					fire(fields, 'businessAddress', points.businessAddress, fired('businessAddress', `Business address "${word}" in "${text.trim()}"`));
					break;
				}
			}
		}

		// ---- decision ----------------------------------------------------------------------------------
		const score = fields.score;
		let isB2B: boolean;
		if (weighted) {
			isB2B = score >= scoreThreshold;
			reasons.push(scoreReason(score));
		} else {
			isB2B = score > 0;
			if (!isB2B) reasons.push(ruleB2cReason);
		}
		fields.isB2B = isB2B;

		if (isB2B) {
			if (companyDomain) {
				fields.accountKey = companyDomain;
				fields.accountName = companyName ?? accountNameFor(companyDomain);
			} else if (companyName) {
				fields.accountKey = nameKey(companyName);
				fields.accountName = companyName;
			}
		}

		fields.reasons = gathered.slice();
		if (problems === null) return { fields, problems: NO_PROBLEMS };
		for (const entry of problems) fields.warnings.push(entry.message);
		return { fields, problems };
	};
}
