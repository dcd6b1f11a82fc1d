/**
 * The incentive for one customer: the route's offer rule, capped so that what the discount is expected
 * to cost never exceeds a set share of the customer's CLV.
 *
 * CLV = predictedClv when the item has it, else historicalClv. maxDiscount = share × CLV.
 * - fixed amount: granted = min(requested, maxDiscount), rounded down to the currency's minor unit.
 * - percent: one order's expected discount is averageOrderValue × percent; the granted percent is the
 *   requested one, or the largest whole percent p with averageOrderValue × p / 100 ≤ maxDiscount.
 * - free shipping: its value is the estimated shipping cost; 0 means unknown and the offer is not capped;
 *   free shipping cannot be partial, so it is withheld when the estimate exceeds maxDiscount.
 * A discount whose cap leaves less than one unit (1 % or one minor unit), or that cannot be capped
 * because the CLV or average order value is unknown, is withheld: the item keeps its route with
 * offer type "none" and the reason says why.
 */
import { currencyDecimals, roundMoney } from '../model/money';
import type { OfferRule, RoutedOffer } from './types';

export interface CustomerValue {
	clv: { value: number; source: 'predictedClv' | 'historicalClv' } | null;
	averageOrderValue: number | null;
	currency: string | null;
	topCategory: string | null;
}

export function chooseOffer(rule: OfferRule, customer: CustomerValue, maxShareOfClvPercent: number): RoutedOffer {
	const { clv, averageOrderValue, currency } = customer;
	const category = rule.onTopCategory ? customer.topCategory : null;
	const share = maxShareOfClvPercent / 100;
	const clvValue = clv === null ? null : Math.max(0, clv.value);
	const maxDiscount = clvValue === null ? null : share * clvValue;
	const base = {
		type: rule.type,
		value: 0,
		currency,
		category,
		requested: { type: rule.type, value: rule.value },
		clv: clvValue === null ? null : roundMoney(clvValue, currency),
		clvSource: clv === null ? null : clv.source,
		maxDiscount: maxDiscount === null ? null : floorMoney(maxDiscount, currency),
	};
	const where = category ? ` on ${category}` : '';
	const capText = () => `${maxShareOfClvPercent}% of CLV ${money(clvValue as number, currency)} (${clv?.source}) = ${money(maxDiscount as number, currency)}`;
	const withheld = (why: string): RoutedOffer => ({
		...base,
		type: 'none',
		value: 0,
		capped: true,
		withheld: true,
		estimatedDiscount: null,
		summary: `No discount: ${why}`,
	});

	switch (rule.type) {
		case 'none':
			return { ...base, type: 'none', value: 0, capped: false, withheld: false, estimatedDiscount: null, summary: 'No incentive on this route' };

		case 'fixed': {
			if (maxDiscount === null) return withheld(`${money(rule.value, currency)} off needs a CLV to cap it, and the item has neither predictedClv nor historicalClv`);
			const granted = Math.min(rule.value, floorMoney(maxDiscount, currency));
			if (granted < minorUnit(currency)) return withheld(`${money(rule.value, currency)} off exceeds the cap of ${capText()}`);
			const capped = granted < rule.value;
			return {
				...base,
				type: 'fixed',
				value: granted,
				capped,
				withheld: false,
				estimatedDiscount: granted,
				summary: capped
					? `${money(granted, currency)} off${where} (capped from ${money(rule.value, currency)}: ${capText()})`
					: `${money(granted, currency)} off${where} (within ${capText()})`,
			};
		}

		case 'percent': {
			if (maxDiscount === null) return withheld(`${rule.value}% off needs a CLV to cap it, and the item has neither predictedClv nor historicalClv`);
			if (averageOrderValue === null || averageOrderValue <= 0) {
				return withheld(`${rule.value}% off is capped through the average order value, and the item has none`);
			}
			const requestedCost = (averageOrderValue * rule.value) / 100;
			// A tiny tolerance so that exactly-at-the-cap offers are not cut by float noise.
			let granted = requestedCost <= maxDiscount + 1e-9 ? rule.value : floorClean((maxDiscount / averageOrderValue) * 100);
			granted = Math.min(granted, rule.value);
			if (granted < 1) return withheld(`even 1% of the average order ${money(averageOrderValue, currency)} exceeds the cap of ${capText()}`);
			const estimated = roundMoney((averageOrderValue * granted) / 100, currency);
			const capped = granted < rule.value;
			return {
				...base,
				type: 'percent',
				value: granted,
				capped,
				withheld: false,
				estimatedDiscount: estimated,
				summary: capped
					? `${granted}% off${where} (capped from ${rule.value}%: ${rule.value}% of average order ${money(averageOrderValue, currency)} = ${money(requestedCost, currency)} exceeds ${capText()})`
					: `${granted}% off${where} (${granted}% of average order ${money(averageOrderValue, currency)} = ${money(estimated, currency)}, within ${capText()})`,
			};
		}

		case 'freeShipping': {
			if (rule.value <= 0) {
				return {
					...base,
					type: 'freeShipping',
					value: 0,
					capped: false,
					withheld: false,
					estimatedDiscount: null,
					summary: `Free shipping${where} (not capped: no estimated shipping cost set)`,
				};
			}
			if (maxDiscount === null) return withheld(`free shipping (about ${money(rule.value, currency)}) needs a CLV to cap it, and the item has neither predictedClv nor historicalClv`);
			if (rule.value > maxDiscount + 1e-9) return withheld(`free shipping (about ${money(rule.value, currency)}) exceeds the cap of ${capText()}`);
			return {
				...base,
				type: 'freeShipping',
				value: rule.value,
				capped: false,
				withheld: false,
				estimatedDiscount: rule.value,
				summary: `Free shipping${where} (about ${money(rule.value, currency)}, within ${capText()})`,
			};
		}
	}
}

function minorUnit(currency: string | null): number {
	return 1 / 10 ** currencyDecimals(currency);
}

/** Rounds down to the currency's minor unit, so a capped amount never lands above the cap. */
function floorMoney(amount: number, currency: string | null): number {
	const factor = 10 ** currencyDecimals(currency);
	return floorClean(amount * factor) / factor;
}

/** Math.floor after dropping float noise, so 0.1 × 70 (7.000000000000001 or 6.999999999999999) floors to 7. */
function floorClean(value: number): number {
	return Math.floor(Number(value.toFixed(6)));
}

function money(amount: number, currency: string | null): string {
	const text = roundMoney(amount, currency).toFixed(currencyDecimals(currency));
	return currency ? `${text} ${currency}` : text;
}
