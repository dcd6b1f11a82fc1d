import { NormalizationError, describeValue } from './errors';

/**
 * Currencies whose minor unit is not 1/100 (ISO 4217). Everything not listed has two decimals.
 * Zero-decimal: amounts are whole units (1500 JPY). Three-decimal: dinars and the like.
 */
const CURRENCY_DECIMALS: Record<string, number> = {
	BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0,
	UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
	BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

const DECIMALS_BY_CODE = new Map(Object.entries(CURRENCY_DECIMALS));

export function currencyDecimals(currency: string | null | undefined): number {
	if (!currency) return 2;
	// Codes usually arrive upper-case already (normalizeCurrency): look up before upper-casing.
	return DECIMALS_BY_CODE.get(currency) ?? DECIMALS_BY_CODE.get(currency.toUpperCase()) ?? 2;
}

/** Rounds to the currency's minor unit, so 0.1 + 0.2 sums do not leak float noise into CRMs. */
export function roundMoney(amount: number, currency?: string | null): number {
	return roundToDecimals(amount, currencyDecimals(currency));
}

/** roundMoney for a caller that already knows the currency's decimals. */
export function roundToDecimals(amount: number, decimals: number): number {
	const factor = 10 ** decimals;
	return Math.round((amount + Number.EPSILON * Math.sign(amount)) * factor) / factor;
}

/**
 * The amount as text with the given decimals: what `roundToDecimals(amount, decimals).toFixed(decimals)`
 * writes, built from integers because toFixed is slow in V8 and reasons carry several amounts per item.
 */
export function formatAmount(amount: number, decimals: number): string {
	const factor = 10 ** decimals;
	const scaled = Math.round((amount + Number.EPSILON * Math.sign(amount)) * factor);
	if (!(Math.abs(scaled) < 1e15) || decimals > 6) return roundToDecimals(amount, decimals).toFixed(decimals);
	const magnitude = Math.abs(scaled);
	const whole = Math.floor(magnitude / factor);
	const sign = scaled < 0 ? '-' : '';
	if (decimals === 0) return `${sign}${whole}`;
	const fraction = String(magnitude - whole * factor);
	return `${sign}${whole}.${'0'.repeat(decimals - fraction.length)}${fraction}`;
}

/** Converts an integer amount in minor units (cents) to major units for the currency. */
export function fromMinorUnits(minor: number, currency?: string | null): number {
	return minor / 10 ** currencyDecimals(currency);
}

/** Upper-cases and checks a three-letter ISO 4217 code; null when absent. */
export function normalizeCurrency(value: unknown, field = 'currency'): string | null {
	if (value === undefined || value === null || value === '') return null;
	if (typeof value !== 'string' || !/^[A-Za-z]{3}$/.test(value.trim())) {
		throw new NormalizationError(field, `expected a three-letter currency code such as "EUR", got ${describeValue(value)}`, value);
	}
	return value.trim().toUpperCase();
}

export interface MoneyParseOptions {
	/**
	 * The decimal separator the store writes. Without it, the last of "." and "," in the text is taken
	 * as the decimal separator when both appear; a lone "," followed by exactly three digits
	 * ("1,234") is a thousands separator, otherwise ("12,5") a decimal comma.
	 * The hint applies to text it can describe: with ",", "1.234" is 1234, but "199.65" (a "." not
	 * followed by a three-digit group cannot be a thousands separator) is read by detection, as 199.65.
	 * So machine-written amounts of Shopify or WooCommerce stay right whatever the hint.
	 */
	decimalSeparator?: '.' | ',';
	/**
	 * The amount's currency, when known. For zero-decimal currencies (JPY, KRW, ...) a lone separator
	 * followed by exactly three digits ("1.500", "1,500") is a thousands separator when no
	 * `decimalSeparator` is given, since such amounts have no minor unit to write.
	 */
	currency?: string | null;
}

const MONEY_NOISE = /[\s\u00a0\u202f'’]|[A-Za-z]{3}$|^[A-Za-z]{3}|[$€£¥₹₩₽₺₫₪₱]/g;

/**
 * Reads a money amount from a number or a string such as "1,234.50", "1.234,50" (with
 * `decimalSeparator: ','`), "€ 12,50", "(12.00)" (accounting negative) or "-3.5".
 * Throws a NormalizationError naming the field when the value is not an amount.
 */
export function parseMoney(value: unknown, field: string, options: MoneyParseOptions = {}): number {
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new NormalizationError(field, `expected an amount, got ${describeValue(value)}`, value);
		return value;
	}
	if (typeof value !== 'string') {
		throw new NormalizationError(field, `expected an amount as a number or text, got ${describeValue(value)}`, value);
	}
	let text = value.trim();
	let negative = false;
	if (/^\(.*\)$/.test(text)) {
		negative = true;
		text = text.slice(1, -1);
	}
	text = text.replace(MONEY_NOISE, '');
	if (text.startsWith('-')) {
		negative = !negative;
		text = text.slice(1);
	} else if (text.startsWith('+')) {
		text = text.slice(1);
	}
	if (!/^[0-9.,]+$/.test(text) || !/[0-9]/.test(text)) {
		throw new NormalizationError(field, `"${value}" is not an amount (expected e.g. 1234.50 or "1,234.50")`, value);
	}
	const hint = options.decimalSeparator && fitsSeparator(text, options.decimalSeparator) ? options.decimalSeparator : undefined;
	const decimal = hint ?? guessDecimalSeparator(text, currencyDecimals(options.currency) === 0);
	const thousands = decimal === '.' ? ',' : '.';
	const parts = text.split(thousands).join('').split(decimal);
	if (parts.length > 2) {
		throw new NormalizationError(field, `"${value}" has more than one decimal separator "${decimal}"`, value);
	}
	const amount = Number(parts.join('.'));
	if (!Number.isFinite(amount)) {
		throw new NormalizationError(field, `"${value}" is not an amount`, value);
	}
	return negative ? -amount : amount;
}

/** Whether `text` can be written with `decimal` as decimal separator: thousands separators only between three-digit groups. */
function fitsSeparator(text: string, decimal: '.' | ','): boolean {
	const thousands = decimal === '.' ? ',' : '.';
	if (!text.includes(thousands)) return true;
	const integer = text.split(decimal)[0];
	return (thousands === ',' ? /^\d{1,3}(,\d{3})+$/ : /^\d{1,3}(\.\d{3})+$/).test(integer);
}

function guessDecimalSeparator(text: string, zeroDecimal: boolean): '.' | ',' {
	if (zeroDecimal && /^\d{1,3}(\.\d{3})+$/.test(text)) return ','; // "1.500" JPY
	const lastDot = text.lastIndexOf('.');
	const lastComma = text.lastIndexOf(',');
	if (lastDot >= 0 && lastComma >= 0) return lastDot > lastComma ? '.' : ',';
	if (lastComma >= 0) {
		// "1,234" and "1,234,567" are thousands; "12,5" and "0,99" are decimal commas.
		return /^\d{1,3}(,\d{3})+$/.test(text) ? '.' : ',';
	}
	if (lastDot >= 0 && /^\d{1,3}(\.\d{3}){2,}$/.test(text)) return ','; // "1.234.567"
	return '.';
}

/** Like parseMoney, but absent values (undefined, null, blank text) give null instead of an error. */
export function parseOptionalMoney(value: unknown, field: string, options: MoneyParseOptions = {}): number | null {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return null;
	return parseMoney(value, field, options);
}
