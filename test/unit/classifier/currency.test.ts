import { buildRateTable, toThresholdCurrency } from '../../../core/classifier/currency';
import { SettingError } from '../../../core/classifier/settingError';

describe('rate table', () => {
	it('reads codes and rates, upper-casing codes and accepting decimal commas', () => {
		const table = buildRateTable('usd', [{ currency: 'eur', rate: 1.08 }, { currency: 'GBP', rate: '1,27' }]);
		expect(table.currency).toBe('USD');
		expect([...table.rates]).toEqual([['EUR', 1.08], ['GBP', 1.27]]);
	});

	it('rejects bad settings with the parameter named', () => {
		const settingError = (run: () => unknown) => {
			try {
				run();
			} catch (error) {
				return error instanceof SettingError ? `${error.parameter} | ${error.message}` : String(error);
			}
			return 'no error';
		};
		expect(settingError(() => buildRateTable('', []))).toMatch(/^Threshold Currency \| .*is empty/);
		expect(settingError(() => buildRateTable('dollars', []))).toMatch(/^Threshold Currency \| .*three-letter/);
		expect(settingError(() => buildRateTable('USD', [{ currency: 'euro', rate: 1 }]))).toMatch(/^Exchange Rates, entry 1 \| .*"euro" is not a three-letter code/);
		expect(settingError(() => buildRateTable('USD', [{ currency: 'EUR', rate: 1.1 }, { currency: 'GBP', rate: 0 }]))).toMatch(/^Exchange Rates, entry 2 \| .*positive number/);
		expect(settingError(() => buildRateTable('USD', [{ currency: 'EUR', rate: 'abc' }]))).toMatch(/positive number/);
		expect(settingError(() => buildRateTable('USD', [{ currency: 'EUR', rate: 1.1 }, { currency: 'eur', rate: 1.2 }]))).toMatch(/EUR is listed twice/);
	});
});

describe('conversion to the threshold currency', () => {
	const table = buildRateTable('USD', [{ currency: 'EUR', rate: 1.08 }, { currency: 'JPY', rate: 0.0067 }]);

	it('keeps totals in the threshold currency', () => {
		expect(toThresholdCurrency(500, 'USD', table)).toEqual({ comparable: true, amount: 500, currency: 'USD', converted: 500, rate: 1, assumedCurrency: false });
	});

	it('takes a total without currency as the threshold currency, and says so', () => {
		expect(toThresholdCurrency(600, null, table)).toMatchObject({ comparable: true, converted: 600, assumedCurrency: true });
	});

	it('converts with the rate, rounded to the threshold currency', () => {
		expect(toThresholdCurrency(462.97, 'EUR', table)).toMatchObject({ comparable: true, converted: 500.01, rate: 1.08 });
		expect(toThresholdCurrency(74_650, 'JPY', table)).toMatchObject({ comparable: true, converted: 500.16 });
	});

	it('reports a currency without a rate as not comparable', () => {
		expect(toThresholdCurrency(999_999, 'GBP', table)).toEqual({ comparable: false, amount: 999_999, currency: 'GBP' });
	});
});
