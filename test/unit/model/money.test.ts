import fc from 'fast-check';

import { currencyDecimals, formatAmount, fromMinorUnits, normalizeCurrency, parseMoney, parseOptionalMoney, roundMoney, roundToDecimals } from '../../../core/model/money';
import { errorField } from './helpers';

describe('parseMoney', () => {
	it.each([
		[12.5, 12.5],
		[0, 0],
		['199.65', 199.65],
		['1,234.50', 1234.5],
		['1,234', 1234],
		['1,234,567', 1234567],
		['1.234.567', 1234567],
		['1.234.567,89', 1234567.89],
		['12,5', 12.5],
		['0,99', 0.99],
		['1 234,50', 1234.5],
		['1\u00a0234,50', 1234.5],
		["1'234.50", 1234.5],
		['€ 12,50', 12.5],
		['$1,299.00', 1299],
		['12.00 EUR', 12],
		['USD 7', 7],
		['-3.5', -3.5],
		['+3.5', 3.5],
		['(12.00)', -12],
		['1,23,456.00', 123456], // Indian grouping
		['  42  ', 42],
	])('reads %p as %p', (input, expected) => {
		expect(parseMoney(input, 'total')).toBe(expected);
	});

	it('uses the decimal separator hint: "1.234,50" with "," is 1234.5, "1.234" with "," is 1234', () => {
		expect(parseMoney('1.234,50', 'total', { decimalSeparator: ',' })).toBe(1234.5);
		expect(parseMoney('1.234', 'total', { decimalSeparator: ',' })).toBe(1234);
		expect(parseMoney('1,234', 'total', { decimalSeparator: ',' })).toBe(1.234);
		expect(parseMoney('1,234.50', 'total', { decimalSeparator: '.' })).toBe(1234.5);
	});

	it('the hint applies only to text it can describe: "199.65" with "," stays 199.65 (machine-written amounts are safe)', () => {
		expect(parseMoney('199.65', 'total_price', { decimalSeparator: ',' })).toBe(199.65);
		expect(parseMoney('1234.5', 'total', { decimalSeparator: ',' })).toBe(1234.5);
		expect(parseMoney('12.345,6', 'total', { decimalSeparator: ',' })).toBe(12345.6);
		expect(parseMoney('1,5', 'total', { decimalSeparator: '.' })).toBe(1.5);
	});

	it('without a hint, "1.234" is one point two three four (the documented default)', () => {
		expect(parseMoney('1.234', 'total')).toBe(1.234);
	});

	it('zero-decimal currencies: "1.500" and "1,500" JPY are fifteen hundred yen; whole amounts pass through', () => {
		expect(parseMoney('1.500', 'total', { currency: 'JPY' })).toBe(1500);
		expect(parseMoney('1,500', 'total', { currency: 'jpy' })).toBe(1500);
		expect(parseMoney('15800', 'total', { currency: 'JPY' })).toBe(15800);
		expect(parseMoney('¥15,800', 'total', { currency: 'JPY' })).toBe(15800);
		expect(parseMoney('1.500', 'total', { currency: 'EUR' })).toBe(1.5);
	});

	it.each([['abc'], [''], ['   '], ['-'], ['1.2.3,4,5'], ['12abc34'], [NaN], [Infinity], [null], [undefined], [{}], [[1]], [true]])(
		'rejects %p with an error naming the field',
		(input) => {
			expect(errorField(() => parseMoney(input, 'line_items[2].price'))).toBe('line_items[2].price');
		},
	);

	it('says what it got and what it expects', () => {
		expect(() => parseMoney('abc', 'total_price')).toThrow('total_price: "abc" is not an amount');
		expect(() => parseMoney('1,2,3', 'total', { decimalSeparator: ',' })).toThrow('more than one decimal separator');
	});
});

describe('parseOptionalMoney', () => {
	it('absent and blank give null; present values are parsed; bad ones still throw', () => {
		expect(parseOptionalMoney(undefined, 'tax')).toBeNull();
		expect(parseOptionalMoney(null, 'tax')).toBeNull();
		expect(parseOptionalMoney('', 'tax')).toBeNull();
		expect(parseOptionalMoney('  ', 'tax')).toBeNull();
		expect(parseOptionalMoney('0.00', 'tax')).toBe(0);
		expect(errorField(() => parseOptionalMoney('n/a', 'tax'))).toBe('tax');
	});
});

describe('currencies', () => {
	it('knows the minor units of zero- and three-decimal currencies', () => {
		expect(currencyDecimals('JPY')).toBe(0);
		expect(currencyDecimals('krw')).toBe(0);
		expect(currencyDecimals('KWD')).toBe(3);
		expect(currencyDecimals('EUR')).toBe(2);
		expect(currencyDecimals(null)).toBe(2);
	});

	it('rounds to the minor unit without float noise', () => {
		expect(roundMoney(0.1 + 0.2)).toBe(0.3);
		expect(roundMoney(1.005)).toBe(1.01);
		expect(roundMoney(-1.005)).toBe(-1.01);
		expect(roundMoney(1500.4, 'JPY')).toBe(1500);
		expect(roundMoney(1.2345, 'KWD')).toBe(1.235);
	});

	it('converts minor units', () => {
		expect(fromMinorUnits(1999, 'USD')).toBe(19.99);
		expect(fromMinorUnits(1500, 'JPY')).toBe(1500);
		expect(fromMinorUnits(1500, 'BHD')).toBe(1.5);
	});

	it('normalises codes and rejects what is not one', () => {
		expect(normalizeCurrency(' eur ')).toBe('EUR');
		expect(normalizeCurrency('')).toBeNull();
		expect(normalizeCurrency(undefined)).toBeNull();
		expect(errorField(() => normalizeCurrency('EURO', 'currency_code'))).toBe('currency_code');
		expect(errorField(() => normalizeCurrency(978))).toBe('currency');
	});
});

describe('formatAmount', () => {
	it('writes what roundToDecimals(...).toFixed(...) writes, for any amount and 0, 2 or 3 decimals', () => {
		const amount = fc.oneof(
			fc.double({ min: -1e7, max: 1e7, noNaN: true }),
			fc.integer({ min: -1e6, max: 1e6 }).map((cents) => cents / 100),
			fc.integer({ min: -1e6, max: 1e6 }).map((cents) => cents / 100 + 0.005),
			fc.constantFrom(0, -0, 0.1 + 0.2, 1.005, 2.675, -0.004, -0.005, 1e15, -1e16, 123456789.125),
		);
		fc.assert(
			fc.property(amount, fc.constantFrom(0, 2, 3), (value, decimals) => expect(formatAmount(value, decimals)).toBe(roundToDecimals(value, decimals).toFixed(decimals))),
			{ numRuns: 20_000 },
		);
	});
});
