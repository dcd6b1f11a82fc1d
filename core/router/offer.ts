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
import { currencyDecimals, formatAmount, roundToDecimals } from '../model/money';
import { flatText } from '../model/text';
import type { OfferRule, RoutedOffer } from './types';

export interface CustomerValue {
	clv: { value: number; source: 'predictedClv' | 'historicalClv' } | null;
	averageOrderValue: number | null;
	currency: string | null;
	topCategory: string | null;
}

export function chooseOffer(rule: OfferRule, customer: CustomerValue, maxShareOfClvPercent: number): RoutedOffer {
	const { clv, averageOrderValue, currency } = customer;
	const decimals = currencyDecimals(currency);
	const facts: OfferFacts = {
		rule,
		currency,
		decimals,
		category: rule.onTopCategory ? customer.topCategory : null,
		share: maxShareOfClvPercent,
		clv: clv === null ? null : Math.max(0, clv.value),
		clvSource: clv === null ? null : clv.source,
		maxDiscount: clv === null ? null : (maxShareOfClvPercent / 100) * Math.max(0, clv.value),
	};
	const { category, maxDiscount } = facts;
	const where = category ? ` on ${category}` : '';

	switch (rule.type) {
		case 'none':
			return offer(facts, 'none', 0, false, false, null, 'No incentive on this route');

		case 'fixed': {
			if (maxDiscount === null) return withheld(facts, `${money(rule.value, facts)} off needs a CLV to cap it, and the item has neither predictedClv nor historicalClv`);
			const granted = Math.min(rule.value, floorMoney(maxDiscount, decimals));
			if (granted < 1 / 10 ** decimals) return withheld(facts, `${money(rule.value, facts)} off exceeds the cap of ${capText(facts)}`);
			const capped = granted < rule.value;
			return offer(
				facts,
				'fixed',
				granted,
				capped,
				false,
				granted,
				capped
					? `${money(granted, facts)} off${where} (capped from ${money(rule.value, facts)}: ${capText(facts)})`
					: `${money(granted, facts)} off${where} (within ${capText(facts)})`,
			);
		}

		case 'percent': {
			if (maxDiscount === null) return withheld(facts, `${rule.value}% off needs a CLV to cap it, and the item has neither predictedClv nor historicalClv`);
			if (averageOrderValue === null || averageOrderValue <= 0) {
				return withheld(facts, `${rule.value}% off is capped through the average order value, and the item has none`);
			}
			const requestedCost = (averageOrderValue * rule.value) / 100;
			// A tiny tolerance so that exactly-at-the-cap offers are not cut by float noise.
			const granted = requestedCost <= maxDiscount + 1e-9 ? rule.value : Math.min(rule.value, floorClean((maxDiscount / averageOrderValue) * 100));
			if (granted < 1) return withheld(facts, `even 1% of the average order ${money(averageOrderValue, facts)} exceeds the cap of ${capText(facts)}`);
			const estimated = roundToDecimals((averageOrderValue * granted) / 100, decimals);
			const capped = granted < rule.value;
			return offer(
				facts,
				'percent',
				granted,
				capped,
				false,
				estimated,
				capped
					? `${granted}% off${where} (capped from ${rule.value}%: ${rule.value}% of average order ${money(averageOrderValue, facts)} = ${money(requestedCost, facts)} exceeds ${capText(facts)})`
					: `${granted}% off${where} (${granted}% of average order ${money(averageOrderValue, facts)} = ${money(estimated, facts)}, within ${capText(facts)})`,
			);
		}

		case 'freeShipping': {
			if (rule.value <= 0) return offer(facts, 'freeShipping', 0, false, false, null, `Free shipping${where} (not capped: no estimated shipping cost set)`);
			if (maxDiscount === null) {
				return withheld(facts, `free shipping (about ${money(rule.value, facts)}) needs a CLV to cap it, and the item has neither predictedClv nor historicalClv`);
			}
			if (rule.value > maxDiscount + 1e-9) return withheld(facts, `free shipping (about ${money(rule.value, facts)}) exceeds the cap of ${capText(facts)}`);
			return offer(facts, 'freeShipping', rule.value, false, false, rule.value, `Free shipping${where} (about ${money(rule.value, facts)}, within ${capText(facts)})`);
		}
	}
}

interface OfferFacts {
	rule: OfferRule;
	currency: string | null;
	decimals: number;
	category: string | null;
	/** Percent of CLV. */
	share: number;
	clv: number | null;
	clvSource: 'predictedClv' | 'historicalClv' | null;
	maxDiscount: number | null;
}

/** Every offer has the same shape (one object literal), whatever its type. */
function offer(
	facts: OfferFacts,
	type: RoutedOffer['type'],
	value: number,
	capped: boolean,
	withheld: boolean,
	estimatedDiscount: number | null,
	summary: string,
): RoutedOffer {
	return {
		type,
		value,
		currency: facts.currency,
		category: facts.category,
		requested: requestedOf(facts.rule),
		capped,
		withheld,
		clv: facts.clv === null ? null : roundToDecimals(facts.clv, facts.decimals),
		clvSource: facts.clvSource,
		maxDiscount: facts.maxDiscount === null ? null : floorMoney(facts.maxDiscount, facts.decimals),
		estimatedDiscount,
		// Kept on every routed item: flat text takes half the memory of the template's parts.
		summary: flatText(summary),
	};
}

// One frozen `requested` per offer rule, shared by every offer made from it (it never varies per customer).
const requestedByRule = new WeakMap<OfferRule, RoutedOffer['requested']>();

function requestedOf(rule: OfferRule): RoutedOffer['requested'] {
	let requested = requestedByRule.get(rule);
	if (requested === undefined) {
		requested = Object.freeze({ type: rule.type, value: rule.value });
		requestedByRule.set(rule, requested);
	}
	return requested;
}

function withheld(facts: OfferFacts, why: string): RoutedOffer {
	return offer(facts, 'none', 0, true, true, null, `No discount: ${why}`);
}

function capText(facts: OfferFacts): string {
	return `${facts.share}% of CLV ${money(facts.clv as number, facts)} (${facts.clvSource}) = ${money(facts.maxDiscount as number, facts)}`;
}

/** Rounds down to the currency's minor unit, so a capped amount never lands above the cap. */
function floorMoney(amount: number, decimals: number): number {
	const factor = 10 ** decimals;
	return floorClean(amount * factor) / factor;
}

/** Math.floor that ignores float noise (0.07 × 100 = 7.000000000000001, 0.57 × 100 = 56.99999999999999 floors to 57). */
function floorClean(value: number): number {
	return Math.floor(value * (1 + 1e-12) + 1e-12);
}

function money(amount: number, facts: { currency: string | null; decimals: number }): string {
	const text = formatAmount(amount, facts.decimals);
	return facts.currency ? `${text} ${facts.currency}` : text;
}
