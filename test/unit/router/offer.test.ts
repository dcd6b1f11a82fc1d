import fc from 'fast-check';

import type { CustomerValue, OfferRule } from '../../../core/router';
import { chooseOffer } from '../../../core/router';
import { routeOf } from './routerFixtures';

const predicted = (value: number) => ({ value, source: 'predictedClv' as const });

function customer(extra: Partial<CustomerValue> = {}): CustomerValue {
	return { clv: predicted(300), averageOrderValue: 80, currency: null, topCategory: 'Shoes', ...extra };
}

const percent = (value: number, onTopCategory = true): OfferRule => ({ type: 'percent', value, onTopCategory });
const fixed = (value: number): OfferRule => ({ type: 'fixed', value, onTopCategory: true });
const freeShipping = (value: number): OfferRule => ({ type: 'freeShipping', value, onTopCategory: true });

describe('offer: percent discounts are capped through the average order value', () => {
	it('10 % of an 80.00 order costs 8.00, within 10 % of CLV 300 (30.00): granted as asked', () => {
		const offer = chooseOffer(percent(10), customer(), 10);
		expect(offer).toMatchObject({ type: 'percent', value: 10, capped: false, withheld: false, estimatedDiscount: 8, maxDiscount: 30, clv: 300, clvSource: 'predictedClv', category: 'Shoes' });
		expect(offer.summary).toBe('10% off on Shoes (10% of average order 80.00 = 8.00, within 10% of CLV 300.00 (predictedClv) = 30.00)');
	});

	it('20 % of a 200.00 order (40.00) over a cap of 10.00 (10 % of CLV 100) becomes 5 % (exactly 10.00)', () => {
		const offer = chooseOffer(percent(20), customer({ clv: predicted(100), averageOrderValue: 200 }), 10);
		expect(offer).toMatchObject({ type: 'percent', value: 5, capped: true, withheld: false, estimatedDiscount: 10, maxDiscount: 10, requested: { type: 'percent', value: 20 } });
		expect(offer.summary).toBe('5% off on Shoes (capped from 20%: 20% of average order 200.00 = 40.00 exceeds 10% of CLV 100.00 (predictedClv) = 10.00)');
	});

	it('rounds the allowed percent down to a whole percent: cap 10.00 on a 70.00 order allows 14 % (9.80), not 14.29 %', () => {
		const offer = chooseOffer(percent(15), customer({ clv: predicted(100), averageOrderValue: 70 }), 10);
		expect(offer).toMatchObject({ value: 14, capped: true, estimatedDiscount: 9.8 });
	});

	it('withholds the discount when even 1 % would exceed the cap (cap 5.00 on a 1000.00 order)', () => {
		const offer = chooseOffer(percent(10), customer({ clv: predicted(50), averageOrderValue: 1000 }), 10);
		expect(offer).toMatchObject({ type: 'none', value: 0, withheld: true, capped: true, requested: { type: 'percent', value: 10 } });
		expect(offer.summary).toBe('No discount: even 1% of the average order 1000.00 exceeds the cap of 10% of CLV 50.00 (predictedClv) = 5.00');
	});

	it('withholds a percent discount when the average order value is unknown', () => {
		const offer = chooseOffer(percent(10), customer({ averageOrderValue: null }), 10);
		expect(offer).toMatchObject({ type: 'none', withheld: true });
		expect(offer.summary).toBe('No discount: 10% off is capped through the average order value, and the item has none');
	});
});

describe('offer: fixed amounts are capped at the CLV share', () => {
	it('25.00 off against a cap of 12.00 (10 % of 120) becomes 12.00', () => {
		const offer = chooseOffer(fixed(25), customer({ clv: predicted(120) }), 10);
		expect(offer).toMatchObject({ type: 'fixed', value: 12, capped: true, estimatedDiscount: 12, maxDiscount: 12 });
		expect(offer.summary).toBe('12.00 off on Shoes (capped from 25.00: 10% of CLV 120.00 (predictedClv) = 12.00)');
	});

	it('5.00 off within the cap stays 5.00', () => {
		expect(chooseOffer(fixed(5), customer({ clv: predicted(120) }), 10)).toMatchObject({ value: 5, capped: false });
	});

	it('rounds the cap down to the currency: 10 % of 12,345 JPY allows 1,234 JPY (no decimals), 10 % of 12.345 KWD 1.234', () => {
		expect(chooseOffer(fixed(2000), customer({ clv: predicted(12345), currency: 'JPY' }), 10)).toMatchObject({ value: 1234, maxDiscount: 1234, currency: 'JPY' });
		expect(chooseOffer(fixed(5), customer({ clv: predicted(12.345), currency: 'KWD' }), 10)).toMatchObject({ value: 1.234 });
		expect(chooseOffer(fixed(5), customer({ clv: predicted(33.33) }), 10)).toMatchObject({ value: 3.33 });
	});
});

describe('offer: free shipping', () => {
	it('is not capped when no shipping cost estimate is set', () => {
		const offer = chooseOffer(freeShipping(0), customer({ clv: null }), 10);
		expect(offer).toMatchObject({ type: 'freeShipping', capped: false, withheld: false });
		expect(offer.summary).toBe('Free shipping on Shoes (not capped: no estimated shipping cost set)');
	});

	it('is granted when the estimate fits the cap, withheld when it does not (it cannot be partial)', () => {
		expect(chooseOffer(freeShipping(4.5), customer({ clv: predicted(50) }), 10)).toMatchObject({ type: 'freeShipping', value: 4.5, estimatedDiscount: 4.5 });
		expect(chooseOffer(freeShipping(8), customer({ clv: predicted(50) }), 10)).toMatchObject({ type: 'none', withheld: true });
	});
});

describe('offer: which CLV', () => {
	it('uses historicalClv when there is no predictedClv', () => {
		const decision = routeOf({ segment: 'at_risk', historicalClv: 200, averageOrderValue: 100 });
		// 10 % of 100.00 = 10.00; cap 10 % of 200 = 20.00: granted.
		expect(decision.fields.offer).toMatchObject({ type: 'percent', value: 10, clv: 200, clvSource: 'historicalClv' });
	});

	it('prefers predictedClv over historicalClv', () => {
		const decision = routeOf({ segment: 'at_risk', predictedClv: 50, historicalClv: 5000, averageOrderValue: 100 });
		// cap 5.00 on a 100.00 order → 5 %.
		expect(decision.fields.offer).toMatchObject({ value: 5, capped: true, clvSource: 'predictedClv' });
	});

	it('reads CLV and order value written as text ("1,234.50")', () => {
		const decision = routeOf({ segment: 'at_risk', predictedClv: '1,234.50', averageOrderValue: '80' });
		expect(decision.fields.offer).toMatchObject({ value: 10, clv: 1234.5, maxDiscount: 123.45 });
	});

	it('a predicted CLV of 0 (or below) leaves no room for a discount', () => {
		expect(routeOf({ segment: 'at_risk', predictedClv: 0, historicalClv: 900, averageOrderValue: 50 }).fields.offer).toMatchObject({ type: 'none', withheld: true });
		expect(routeOf({ segment: 'lost', predictedClv: -20, averageOrderValue: 50 }).fields.offer).toMatchObject({ type: 'none', withheld: true, clv: 0 });
	});

	it('no CLV at all: the customer keeps the route, the discount is withheld with the reason', () => {
		const decision = routeOf({ segment: 'at_risk', averageOrderValue: 50 });
		expect(decision.fields.route).toBe('win_back_incentive');
		expect(decision.fields.offer).toMatchObject({ type: 'none', withheld: true, clv: null, clvSource: null });
		expect(decision.fields.reasons[1]).toBe('No discount: 10% off needs a CLV to cap it, and the item has neither predictedClv nor historicalClv');
	});

	it('a share of 0 % withholds every discount', () => {
		expect(routeOf({ segment: 'at_risk', predictedClv: 10_000, averageOrderValue: 10 }, { maxDiscountShareOfClv: 0 }).fields.offer).toMatchObject({ type: 'none', withheld: true });
	});

	it('the category is left off when the rule says store-wide', () => {
		expect(chooseOffer(percent(10, false), customer(), 10).category).toBeNull();
	});
});

describe('offer: the cap holds for any customer (property)', () => {
	const money = fc.double({ min: 0.01, max: 100_000, noNaN: true, noDefaultInfinity: true });

	it('a percent discount never costs more than share × CLV on an average order, and is the largest whole percent that fits', () => {
		fc.assert(
			fc.property(money, money, fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 100 }), (clv, aov, requested, share) => {
				const offer = chooseOffer(percent(requested), customer({ clv: predicted(clv), averageOrderValue: aov }), share);
				const cap = (share / 100) * clv;
				if (offer.type === 'none') {
					// Withheld only when even 1 % does not fit.
					expect(aov / 100).toBeGreaterThan(cap * (1 - 1e-9));
					return;
				}
				expect(offer.value).toBeLessThanOrEqual(requested);
				expect((aov * offer.value) / 100).toBeLessThanOrEqual(cap * (1 + 1e-9));
				if (offer.value < requested) expect((aov * (offer.value + 1)) / 100).toBeGreaterThan(cap);
			}),
		);
	});

	it('a fixed discount never exceeds the requested amount or share × CLV', () => {
		fc.assert(
			fc.property(money, money, fc.integer({ min: 1, max: 100 }), (clv, requested, share) => {
				const offer = chooseOffer(fixed(requested), customer({ clv: predicted(clv) }), share);
				if (offer.type === 'none') return;
				expect(offer.value).toBeLessThanOrEqual(requested);
				expect(offer.value).toBeLessThanOrEqual((share / 100) * clv + 1e-9);
			}),
		);
	});
});
