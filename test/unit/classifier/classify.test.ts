import type { ClassifierSettings } from '../../../core/classifier/classify';
import { compileClassifier } from '../../../core/classifier/classify';
import { buildRateTable } from '../../../core/classifier/currency';
import { compileInputReader } from '../../../core/classifier/input';
import { SettingError } from '../../../core/classifier/settingError';
import { SIGNAL_WEIGHTS } from '../../../core/classifier/signals';

const read = compileInputReader();

function settings(overrides: Partial<ClassifierSettings> = {}): ClassifierSettings {
	return {
		mode: 'weightedScore',
		orderTotalThreshold: 500,
		rateTable: buildRateTable('USD', [{ currency: 'EUR', rate: 1.08 }]),
		scoreThreshold: 50,
		wholesaleQuantity: 10,
		...overrides,
	};
}

interface OrderShape {
	email?: unknown;
	total?: unknown;
	currency?: unknown;
	company?: unknown;
	taxId?: unknown;
	quantities?: number[];
	line1?: string;
	firstName?: string;
	lastName?: string;
}

function order(shape: OrderShape = {}) {
	return {
		id: '1',
		total: 'total' in shape ? shape.total : 40,
		currency: 'currency' in shape ? shape.currency : 'USD',
		customer: { email: 'email' in shape ? shape.email : 'jane@gmail.com', firstName: shape.firstName ?? 'Jane', lastName: shape.lastName ?? 'Doe', taxId: shape.taxId ?? null, company: null },
		billingAddress: { company: shape.company ?? null, firstName: 'Jane', lastName: 'Doe', line1: shape.line1 ?? '12 Oak Street', line2: null, city: 'Austin', country: 'US' },
		shippingAddress: null,
		lineItems: (shape.quantities ?? [1]).map((quantity) => ({ quantity, price: 10 })),
	};
}

function classify(shape: OrderShape, overrides: Partial<ClassifierSettings> = {}) {
	return compileClassifier(settings(overrides))(read(order(shape)));
}

describe('weighted score: each signal adds its documented weight', () => {
	const baseline = classify({});

	it('a consumer on free-mail with a small order scores 0', () => {
		expect(baseline.fields).toMatchObject({ isB2B: false, score: 0, signals: {}, emailDomain: 'gmail.com', accountKey: null, accountName: null, disposableEmail: false });
		expect(baseline.fields.reasons).toEqual(['Free-mail domain gmail.com: not a company domain', 'Score 0 is below 50: B2C']);
	});

	it.each([
		['companyEmailDomain', { email: 'jane@mail.acme-tools.co.uk' }, 'Company email domain acme-tools.co.uk (+35)'],
		['companyName', { company: 'Acme Tools Ltd' }, 'Company name "Acme Tools Ltd" (+50)'],
		['businessTaxId', { taxId: 'DE123456789' }, 'VAT number DE123456789 (+50)'],
		['orderTotalOverThreshold', { total: 500.01 }, 'Order total 500.01 USD over 500.00 USD (+25)'],
		['wholesaleQuantity', { quantities: [1, 10] }, 'Line item quantity 10 (wholesale size, 10 or more) (+25)'],
		['purchasingRoleAddress', { email: 'purchasing@gmail.com' }, 'Purchasing/accounts mailbox purchasing@ (+25)'],
		['sharedRoleAddress', { email: 'info@gmail.com' }, 'Shared mailbox info@ (+10)'],
		['businessAddress', { line1: 'Suite 300, 1 Market St' }, 'Business address "Suite" in "Suite 300, 1 Market St" (+15)'],
		['disposableEmail', { email: 'jane@mailinator.com' }, 'Disposable email domain mailinator.com (−50)'],
	] as const)('%s', (signal, shape, reason) => {
		const result = classify(shape as OrderShape).fields;
		expect(result.signals).toEqual({ [signal]: SIGNAL_WEIGHTS[signal] });
		expect(result.score).toBe(SIGNAL_WEIGHTS[signal]);
		expect(result.reasons).toContain(reason);
		expect(result.isB2B).toBe(SIGNAL_WEIGHTS[signal] >= 50);
	});

	it('adds the signals up and decides on score ≥ threshold', () => {
		const result = classify({ email: 'purchasing@acme.com', company: 'Acme Inc.', total: 1200, quantities: [24] }).fields;
		expect(result.score).toBe(35 + 25 + 50 + 25 + 25);
		expect(result.isB2B).toBe(true);
		expect(result.reasons.at(-1)).toBe('Score 160 reaches 50: B2B');
		expect(classify({ email: 'jane@acme.com' }, { scoreThreshold: 35 }).fields.isB2B).toBe(true);
		expect(classify({ email: 'jane@acme.com' }, { scoreThreshold: 36 }).fields.isB2B).toBe(false);
	});

	it('an order total equal to the threshold is not over it', () => {
		expect(classify({ total: 500 }).fields.signals).toEqual({});
	});

	it('the wholesale quantity is the operator setting', () => {
		expect(classify({ quantities: [6] }, { wholesaleQuantity: 6 }).fields.signals).toEqual({ wholesaleQuantity: 25 });
		expect(classify({ quantities: [5] }, { wholesaleQuantity: 6 }).fields.signals).toEqual({});
	});

	it('a company only in the shipping address counts less than a billing company', () => {
		const shipping = { ...order(), shippingAddress: { company: 'Contoso Ltd', line1: '1 Work Rd' } };
		const result = compileClassifier(settings())(read(shipping)).fields;
		expect(result.signals).toEqual({ shippingCompanyOnly: 20 });
		expect(result.reasons).toContain('Company "Contoso Ltd" in the shipping address only (+20)');
	});

	it('ignores placeholder companies and the shopper\'s own name, and says so', () => {
		expect(classify({ company: 'n/a' }).fields).toMatchObject({ score: 0, reasons: expect.arrayContaining(['Company "n/a" looks like a placeholder: ignored']) });
		expect(classify({ company: 'Jane Doe' }).fields).toMatchObject({ score: 0, reasons: expect.arrayContaining(['Company "Jane Doe" is the customer\'s own name: ignored']) });
	});

	it('does not count personal tax numbers', () => {
		const result = classify({ taxId: '529.982.247-25' }).fields;
		expect(result.score).toBe(0);
		expect(result.reasons).toContain('Tax id 529.982.247-25 is a personal Brazilian CPF: not a business signal');
	});

	it('a disposable domain is never a company domain, and its mailbox names are no role', () => {
		const result = classify({ email: 'buyer@eu.mailinator.com', company: 'Acme Inc.' }).fields;
		expect(result.signals).toEqual({ disposableEmail: -50, companyName: 50 });
		expect(result).toMatchObject({ disposableEmail: true, isB2B: false, score: 0 });
	});

	it("applies the operator's known businesses and known consumers", () => {
		const known = { knownBusinesses: ['acme.com, Blue Door Coffee LLC'], listedConsumers: ['myisp.net\njane@gmail.com'] };
		expect(classify({ email: 'x@sales.acme.com' }, known).fields.signals).toEqual({ companyEmailDomain: 35, knownBusiness: 100 });
		expect(classify({ company: 'BLUE DOOR COFFEE, L.L.C.' }, known).fields).toMatchObject({ signals: { companyName: 50, knownBusiness: 100 }, reasons: expect.arrayContaining(['Known business "Blue Door Coffee LLC" (your list) (+100)']) });
		expect(classify({ email: 'bob@myisp.net' }, known).fields).toMatchObject({ signals: { listedConsumer: -100 }, isB2B: false });
		expect(classify({ email: 'jane@gmail.com', company: 'Acme Inc.' }, known).fields).toMatchObject({ score: -50, isB2B: false });
	});

	it('keeps "Acme, Inc." in Known Businesses as one company', () => {
		const known = { knownBusinesses: ['Acme, Inc., Blue Door Coffee'] };
		expect(classify({ company: 'ACME Inc' }, known).fields.reasons).toContain('Known business "Acme, Inc." (your list) (+100)');
		expect(classify({ company: 'Blue Door Coffee GmbH' }, known).fields.signals).toMatchObject({ knownBusiness: 100 });
		expect(classify({ company: 'Inc.' }, known).fields.signals).not.toHaveProperty('knownBusiness');
	});

	it('treats additional free-mail domains as free-mail', () => {
		const result = classify({ email: 'bob@mail.myisp.net' }, { extraFreeMailDomains: ['myisp.net'] }).fields;
		expect(result.signals).toEqual({});
		expect(result.reasons[0]).toBe('Free-mail domain myisp.net (your list): not a company domain');
	});
});

describe('threshold rule: B2B iff total > threshold OR the email domain is a company domain', () => {
	const rule = { mode: 'thresholdRule' } as const;

	it.each([
		// [email, total, isB2B, score]
		['jane@gmail.com', 40, false, 0],
		['jane@gmail.com', 500, false, 0],
		['jane@gmail.com', 500.01, true, 1],
		['jane@acme.com', 40, true, 1],
		['jane@acme.com', 900, true, 2],
		['jane@mailinator.com', 40, false, 0], // disposable: not a company domain
		['jane@mailinator.com', 900, true, 1],
		[null, 40, false, 0],
		[null, 900, true, 1],
		['not-an-email', 40, false, 0],
		['jane@co.uk', 40, false, 0], // a public suffix is no organisation
	])('%s with total %s → isB2B %s', (email, total, isB2B, score) => {
		const result = classify({ email, total }, rule).fields;
		expect({ isB2B: result.isB2B, score: result.score }).toEqual({ isB2B, score });
		expect(result.classificationMode).toBe('thresholdRule');
	});

	it('ignores every other signal', () => {
		const result = classify({ email: 'purchasing@gmail.com', company: 'Acme Inc.', taxId: 'DE123456789', quantities: [100], line1: 'Suite 1' }, rule).fields;
		expect(result).toMatchObject({ isB2B: false, score: 0, signals: {} });
		expect(result.reasons).toEqual(['Free-mail domain gmail.com: not a company domain', 'Order total not over 500.00 USD and no company email domain: B2C']);
	});

	it('words its reasons as the rule', () => {
		expect(classify({ email: 'jane@acme.com', total: 900 }, rule).fields.reasons).toEqual([
			'Company email domain acme.com (rule: B2B)',
			'Order total 900.00 USD over 500.00 USD (rule: B2B)',
		]);
	});
});

describe('currencies', () => {
	it('converts with the rate table before comparing', () => {
		expect(classify({ total: 463, currency: 'EUR' }).fields.reasons).toContain('Order total 463.00 EUR = 500.04 USD over 500.00 USD (+25)');
		expect(classify({ total: 462, currency: 'eur' }).fields.signals).toEqual({});
	});

	it('never compares a total in a currency without a rate', () => {
		const result = classify({ total: 100_000, currency: 'GBP' }).fields;
		expect(result.signals).toEqual({});
		expect(result.warnings).toEqual(['Order total 100000.00 GBP not comparable with 500.00 USD: no exchange rate for GBP — add one under "Exchange Rates"']);
		expect(result.reasons).toContain(result.warnings[0]);
	});

	it('takes an order without currency as the threshold currency and says so', () => {
		expect(classify({ total: 600, currency: null }).fields.reasons).toContain('Order total 600.00 USD (no currency on the order; taken as USD) over 500.00 USD (+25)');
	});

	it('shows zero-decimal currencies without decimals', () => {
		const yen = classify({ total: 80_000, currency: 'JPY' }, { rateTable: buildRateTable('USD', [{ currency: 'JPY', rate: 0.0067 }]) }).fields;
		expect(yen.reasons).toContain('Order total 80000 JPY = 536.00 USD over 500.00 USD (+25)');
	});
});

describe('bad input: the item is classified on the signals left, with the problem in reasons and warnings', () => {
	it('missing email', () => {
		const result = classify({ email: null, company: 'Acme Inc.' });
		expect(result.fields).toMatchObject({ isB2B: true, score: 50, emailDomain: null, accountKey: 'acme', accountName: 'Acme Inc.' });
		expect(result.problems).toEqual([{ field: 'customer.email', message: 'No email in "customer.email": email signals not used — map the customer\'s email in "Email Field"' }]);
		expect(result.fields.warnings).toEqual([result.problems[0].message]);
	});

	it('invalid email', () => {
		const result = classify({ email: 'jane at acme' });
		expect(result.problems).toEqual([{ field: 'customer.email', message: 'Email "jane at acme" in "customer.email" is not a valid address: email signals not used' }]);
		expect(result.fields.emailDomain).toBeNull();
	});

	it('a total that is not a number', () => {
		const result = classify({ total: 'twelve', email: 'jane@acme.com' });
		expect(result.problems).toEqual([{ field: 'total', message: 'Order total "twelve" in "total" is not a number: order total signal not used' }]);
		expect(result.fields.signals).toEqual({ companyEmailDomain: 35 });
	});

	it('a total written as text is read as money', () => {
		expect(classify({ total: '1,234.50' }).fields.signals).toEqual({ orderTotalOverThreshold: 25 });
	});

	it('a missing total', () => {
		expect(classify({ total: null }).problems).toEqual([{ field: 'total', message: 'No order total in "total": order total signal not used' }]);
	});

	it('an unknown currency', () => {
		const result = classify({ total: 900, currency: 'dollars' });
		expect(result.problems).toEqual([{ field: 'currency', message: 'Currency "dollars" in "currency" is not a currency code such as "EUR": order total not compared' }]);
		expect(result.fields.signals).toEqual({});
	});

	it('an item with nothing to read still gets a classification', () => {
		const result = compileClassifier(settings())(read({}));
		expect(result.fields).toMatchObject({ isB2B: false, score: 0, emailDomain: null });
		expect(result.problems.map((problem) => problem.field)).toEqual(['customer.email', 'total']);
	});
});

describe('account key and name', () => {
	it('a company domain keys the account; the company field names it', () => {
		expect(classify({ email: 'jo@mail.acme-tools.co.uk', company: 'ACME Tools Ltd' }).fields).toMatchObject({ accountKey: 'acme-tools.co.uk', accountName: 'ACME Tools Ltd' });
	});

	it('without a company field the name comes from the domain', () => {
		expect(classify({ email: 'jo@acme-tools.co.uk', total: 900 }).fields).toMatchObject({ isB2B: true, accountKey: 'acme-tools.co.uk', accountName: 'Acme Tools' });
	});

	it('on free-mail the normalised company name keys the account', () => {
		expect(classify({ email: 'jo@gmail.com', company: 'Blue Door Coffee, LLC' }).fields).toMatchObject({ accountKey: 'blue door coffee', accountName: 'Blue Door Coffee, LLC' });
	});

	it('B2C items and B2B items with nothing to name carry no account', () => {
		expect(classify({ email: 'jo@acme.com' }).fields).toMatchObject({ isB2B: false, accountKey: null, accountName: null });
		expect(classify({ email: 'jo@gmail.com', total: 900, quantities: [40] }).fields).toMatchObject({ isB2B: true, accountKey: null, accountName: null });
	});
});

describe('settings', () => {
	it.each([
		[{ orderTotalThreshold: -1 }, 'Order Total Threshold'],
		[{ orderTotalThreshold: Number.NaN }, 'Order Total Threshold'],
		[{ scoreThreshold: Number.POSITIVE_INFINITY }, 'Score Threshold'],
		[{ wholesaleQuantity: 0 }, 'Wholesale Quantity'],
		[{ extraFreeMailDomains: ['not a domain'] }, 'Additional Free-Mail Domains'],
		[{ listedConsumers: ['jane'] }, 'Known Consumers'],
		[{ mode: 'magic' as never }, 'Mode'],
	])('%o is rejected naming %s', (overrides, parameter) => {
		let caught: unknown;
		try {
			compileClassifier(settings(overrides as Partial<ClassifierSettings>));
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(SettingError);
		expect((caught as SettingError).parameter).toBe(parameter);
	});
});
