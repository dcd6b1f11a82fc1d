import { normalizeCurrency, roundMoney } from '../model/money';
import { SettingError } from './settingError';

/**
 * The order-total threshold lives in one currency the operator picks. Totals in another currency are
 * converted with the operator's rate table, or reported as not comparable: never compared as if the
 * numbers were in the same currency.
 */
export interface RateTable {
	/** The threshold currency (ISO 4217, upper-case). */
	currency: string;
	/** Units of the threshold currency per one unit of the listed currency (EUR → 1.08 when USD is the threshold currency). */
	rates: ReadonlyMap<string, number>;
}

export interface RateEntry {
	currency?: unknown;
	rate?: unknown;
}

/** The upper-case code; null when empty; undefined when it is not a three-letter code. */
function currencyCode(value: unknown): string | null | undefined {
	try {
		return normalizeCurrency(value);
	} catch {
		return undefined;
	}
}

function readRate(value: unknown): number {
	if (typeof value === 'number') return value;
	if (typeof value === 'string' && value.trim() !== '') return Number(value.trim().replace(',', '.'));
	return Number.NaN;
}

/** Checks the operator's settings once; a bad entry is a setting error naming the parameter. */
export function buildRateTable(thresholdCurrency: unknown, entries: readonly RateEntry[] = []): RateTable {
	const currency = currencyCode(thresholdCurrency);
	if (currency === undefined) throw new SettingError('Threshold Currency', `expected a three-letter currency code such as "USD", got ${JSON.stringify(thresholdCurrency)}`);
	if (!currency) throw new SettingError('Threshold Currency', 'is empty — enter the currency the order total threshold is in, e.g. "USD"');
	const rates = new Map<string, number>();
	entries.forEach((entry, index) => {
		const position = `Exchange Rates, entry ${index + 1}`;
		const code = currencyCode(entry.currency);
		if (!code) throw new SettingError(position, `currency ${JSON.stringify(entry.currency ?? '')} is not a three-letter code such as "EUR"`);
		const rate = readRate(entry.rate);
		if (!Number.isFinite(rate) || rate <= 0) {
			throw new SettingError(position, `rate for ${code} must be a positive number (${currency} per 1 ${code}), got ${JSON.stringify(entry.rate ?? '')}`);
		}
		if (rates.has(code)) throw new SettingError(position, `${code} is listed twice — keep one rate per currency`);
		if (code !== currency) rates.set(code, rate);
	});
	return { currency, rates };
}

export type TotalComparison =
	| { comparable: true; amount: number; currency: string; converted: number; rate: number; assumedCurrency: boolean }
	| { comparable: false; amount: number; currency: string };

/**
 * The order total in the threshold currency. `currency` null means the order did not say: the total is
 * taken as being in the threshold currency, and `assumedCurrency` says so (the reason text reports it).
 */
export function toThresholdCurrency(amount: number, currency: string | null, table: RateTable): TotalComparison {
	if (currency === null || currency === table.currency) {
		return { comparable: true, amount, currency: table.currency, converted: amount, rate: 1, assumedCurrency: currency === null };
	}
	const rate = table.rates.get(currency);
	if (rate === undefined) return { comparable: false, amount, currency };
	return { comparable: true, amount, currency, converted: roundMoney(amount * rate, table.currency), rate, assumedCurrency: false };
}
