/**
 * The weighted score's signals: their weights (the documented table) and the detectors for the text
 * signals (tax ids, role mailboxes, business address words). Patterns are compiled once, here.
 */

export const SIGNAL_WEIGHTS = {
	/** The operator's allowlist names the domain or company. */
	knownBusiness: 100,
	/** The operator's denylist names the domain or address. */
	listedConsumer: -100,
	/** A VAT number or another business tax id (personal ids such as a Brazilian CPF do not count). */
	businessTaxId: 50,
	/**
	 * A real company name in the billing address or on the customer (placeholders like "n/a" and the
	 * shopper's own name do not count): the buyer states who is buying, for the invoice.
	 */
	companyName: 50,
	/** A company name only in the shipping address: often the shopper's workplace, as a delivery detail. */
	shippingCompanyOnly: 20,
	/** The email domain is not free-mail, not disposable, not a public suffix. */
	companyEmailDomain: 35,
	/** The order total, in the threshold currency, is over the order total threshold. */
	orderTotalOverThreshold: 25,
	/** A line item with at least the wholesale quantity. */
	wholesaleQuantity: 25,
	/** purchasing@, accounts@, ap@, invoices@ ...: a buying or paying department's mailbox. */
	purchasingRoleAddress: 25,
	/** info@, office@, sales@ ...: a shared mailbox, which people rarely use for themselves. */
	sharedRoleAddress: 10,
	/** Suite, business park, industrial estate, warehouse, "Attn:" ... in the billing or shipping address. */
	businessAddress: 15,
	/** A throw-away address: not a company, and not a buyer to trust with an account. */
	disposableEmail: -50,
} as const;

export type SignalId = keyof typeof SIGNAL_WEIGHTS;

/** Default score threshold: B2B when the score is at least this. */
export const DEFAULT_SCORE_THRESHOLD = 50;
export const DEFAULT_ORDER_TOTAL_THRESHOLD = 500;
export const DEFAULT_WHOLESALE_QUANTITY = 10;

// ---- tax ids -------------------------------------------------------------------------------------

export type TaxIdAssessment =
	| { kind: 'business'; label: string; value: string }
	| { kind: 'personal'; label: string; value: string }
	| { kind: 'ignored'; why: string; value: string };

const TAX_ID_PLACEHOLDERS = new Set(['', 'NA', 'NONE', 'NO', 'NULL', 'NIL', 'X', 'XX', 'XXX', 'TBD', 'TEST', 'KEINE', 'AUCUN', 'NINGUNO']);
const EU_VAT = /^(AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI|GB|CHE|NO)[0-9A-Z]{8,12}(MVA)?$/;
const ITALIAN_FISCAL_CODE = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;
const SPANISH_DNI = /^[0-9]{8}[A-Z]$/;
const SPANISH_NIE = /^[XYZ][0-9]{7}[A-Z]$/;
const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
const TAX_ID_NOISE = /[\s.\-/]/g;

/** Brazilian CPF (a person's tax number): 11 digits whose two check digits verify. */
function isBrazilianCpf(digits: string): boolean {
	if (!/^[0-9]{11}$/.test(digits) || /^(\d)\1{10}$/.test(digits)) return false;
	for (const length of [9, 10]) {
		let sum = 0;
		for (let i = 0; i < length; i++) sum += Number(digits[i]) * (length + 1 - i);
		const check = ((sum * 10) % 11) % 10;
		if (check !== Number(digits[length])) return false;
	}
	return true;
}

function isSpanishPersonalId(compact: string): boolean {
	if (SPANISH_DNI.test(compact)) return DNI_LETTERS[Number(compact.slice(0, 8)) % 23] === compact[8];
	if (SPANISH_NIE.test(compact)) {
		const number = Number('XYZ'.indexOf(compact[0]) + compact.slice(1, 8));
		return DNI_LETTERS[number % 23] === compact[8];
	}
	return false;
}

/**
 * Whether a tax id points to a business. Stores in Brazil, Italy and Spain ask every buyer for a tax
 * number, so the personal ones (CPF, codice fiscale, DNI/NIE) are recognised and do not count.
 */
export function assessTaxId(value: string): TaxIdAssessment {
	const shown = value.trim();
	const compact = shown.toUpperCase().replace(TAX_ID_NOISE, '');
	if (TAX_ID_PLACEHOLDERS.has(compact) || /^0+$/.test(compact)) return { kind: 'ignored', why: 'looks like a placeholder', value: shown };
	if (compact.length < 5 || !/^[0-9A-Z]+$/.test(compact)) return { kind: 'ignored', why: 'is not a tax number', value: shown };
	if (isBrazilianCpf(compact)) return { kind: 'personal', label: 'Brazilian CPF', value: shown };
	if (ITALIAN_FISCAL_CODE.test(compact)) return { kind: 'personal', label: 'Italian codice fiscale', value: shown };
	if (isSpanishPersonalId(compact)) return { kind: 'personal', label: 'Spanish DNI/NIE', value: shown };
	if (EU_VAT.test(compact)) return { kind: 'business', label: 'VAT number', value: shown };
	return { kind: 'business', label: 'tax id', value: shown };
}

// ---- role mailboxes ----------------------------------------------------------------------------------

/** Local-part words of buying and paying departments, in the languages of the stores we serve. */
const PURCHASING_WORDS = new Set([
	'purchasing', 'purchase', 'purchases', 'purchaseorders', 'procurement', 'buying', 'buyer', 'buyers', 'accounts',
	'accountspayable', 'payables', 'payable', 'ap', 'invoice', 'invoices', 'invoicing', 'billing', 'finance', 'orders',
	'po', 'supplies', 'einkauf', 'beschaffung', 'buchhaltung', 'rechnung', 'rechnungen', 'achats', 'achat',
	'comptabilite', 'compta', 'factures', 'facturation', 'compras', 'facturas', 'facturacion', 'contabilidad',
	'acquisti', 'amministrazione', 'fatture', 'inkoop', 'facturen', 'zakupy', 'faktury', 'ksiegowosc', 'inkop',
]);

/** Shared mailboxes: a business address more often than a person's own. */
const SHARED_WORDS = new Set([
	'info', 'office', 'admin', 'contact', 'hello', 'sales', 'team', 'reception', 'enquiries', 'inquiries', 'mail',
	'kontakt', 'buero', 'bureau', 'ufficio', 'oficina', 'service', 'operations', 'ops', 'studio', 'shop', 'store',
]);

const WORD_SEPARATORS = /[._-]/g;
/** Longer local parts cannot be one of the words: most personal addresses are ruled out without a copy. */
const LONGEST_ROLE_WORD = Math.max(...[...PURCHASING_WORDS, ...SHARED_WORDS].map((word) => word.length));

function isWordSeparator(code: number): boolean {
	return code === 46 /* . */ || code === 95 /* _ */ || code === 45 /* - */;
}

export type RoleAssessment = { kind: 'purchasing' | 'shared'; word: string } | null;

/** Looks at the whole local part and its first word: `accounts.payable@`, `ap@`, `orders.acme@`. */
export function assessRoleAddress(email: string): RoleAssessment {
	let end = email.lastIndexOf('@');
	const plus = email.indexOf('+');
	if (plus > 0 && plus < end) end = plus;
	// One pass: where the first word ends, and how many separators the local part has.
	let separator = -1;
	let separators = 0;
	for (let index = 0; index < end; index++) {
		if (isWordSeparator(email.charCodeAt(index))) {
			if (separator < 0) separator = index;
			separators++;
		}
	}
	if (separator < 0) {
		if (end > LONGEST_ROLE_WORD) return null;
		const local = email.slice(0, end);
		if (PURCHASING_WORDS.has(local)) return { kind: 'purchasing', word: local };
		return SHARED_WORDS.has(local) ? { kind: 'shared', word: local } : null;
	}
	const local = end - separators <= LONGEST_ROLE_WORD ? email.slice(0, end) : null;
	const joined = local === null ? null : local.replace(WORD_SEPARATORS, '');
	const first = separator <= LONGEST_ROLE_WORD ? email.slice(0, separator) : null;
	if (joined !== null && PURCHASING_WORDS.has(joined)) return { kind: 'purchasing', word: local! };
	if (first !== null && PURCHASING_WORDS.has(first)) return { kind: 'purchasing', word: first };
	if (joined !== null && SHARED_WORDS.has(joined)) return { kind: 'shared', word: local! };
	if (first !== null && SHARED_WORDS.has(first)) return { kind: 'shared', word: first };
	return null;
}

// ---- business address words ------------------------------------------------------------------------

/**
 * Words that put an address in a business location. Left out on purpose, because homes use them too:
 * "Unit", "Floor", "Building", "Apt", "c/o".
 */
const BUSINESS_ADDRESS_TERMS = [
	'suite', 'ste\\.?(?=\\s*\\d)',
	'industrial (?:estate|park|area|zone|unit)', 'business (?:park|centre|center|campus)', 'trading estate',
	'enterprise (?:park|centre|center)', 'office (?:park|centre|center)', 'science park', 'tech(?:nology)? park',
	'warehouse', 'loading dock', 'dock door', 'receiving dock', 'distribution (?:centre|center)',
	'attn\\.?', 'attention', 'dept\\.?', 'department',
	'gewerbegebiet', 'gewerbepark', 'industriegebiet', 'industriepark', 'industriestr(?:a(?:ss|ß)e|\\.)?',
	'zone industrielle', "zone d'activit[eé]s?", "parc d'activit[eé]s?",
	'zona industriale', 'pol[ií]gono industrial', 'parque empresarial', 'bedrijventerrein', 'industrieterrein',
].join('|');
const BUSINESS_ADDRESS_WORDS = new RegExp(`(?:^|[^\\p{L}\\p{N}])(${BUSINESS_ADDRESS_TERMS})(?![\\p{L}\\p{N}])`, 'iu');

// A cheap first look (no Unicode classes, no word boundaries) that most home addresses fail.
const BUSINESS_ADDRESS_HINT = /suite|ste|industri|business|trading|enterprise|office|science|tech|warehouse|dock|distribution|att|dep|gewerbe|zon|parc|gono|parque|bedrijven/i;

/** The business-address word found in an address line, as written; null when none. */
export function findBusinessAddressWord(text: string): string | null {
	if (!BUSINESS_ADDRESS_HINT.test(text)) return null;
	const match = BUSINESS_ADDRESS_WORDS.exec(text);
	return match ? match[1].trim() : null;
}
