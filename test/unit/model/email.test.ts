import { emailDomain, isValidEmail, normalizeEmail } from '../../../core/model/email';

describe('normalizeEmail', () => {
	it.each([
		['jane@example.com', 'jane@example.com'],
		['  Jane.Doe@Example.COM ', 'jane.doe@example.com'],
		['Jane Doe <Jane@Example.com>', 'jane@example.com'],
		['mailto:jane@example.com', 'jane@example.com'],
		['jane+orders@example.co.uk', 'jane+orders@example.co.uk'],
		["o'brien@example.ie", "o'brien@example.ie"],
	])('accepts %p as %p', (input, expected) => {
		expect(normalizeEmail(input)).toEqual({ email: expected, invalid: null });
	});

	it.each([['not-an-email'], ['jane@'], ['@example.com'], ['jane@example'], ['jane@@example.com'], ['jane..doe@example.com'], ['jane doe@example.com'], ['jane@-example.com'], ['jane@example.c']])(
		'flags %p as invalid, keeping the text received (trimmed)',
		(input) => {
			expect(normalizeEmail(`  ${input} `)).toEqual({ email: null, invalid: input });
		},
	);

	it('absent or blank is neither an email nor invalid', () => {
		expect(normalizeEmail(undefined)).toEqual({ email: null, invalid: null });
		expect(normalizeEmail(null)).toEqual({ email: null, invalid: null });
		expect(normalizeEmail('   ')).toEqual({ email: null, invalid: null });
	});

	it('a non-text value is flagged as invalid', () => {
		expect(normalizeEmail(12345)).toEqual({ email: null, invalid: '12345' });
	});

	it('rejects addresses longer than 254 characters', () => {
		const long = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`;
		expect(long.length).toBeGreaterThan(254);
		expect(normalizeEmail(long).email).toBeNull();
	});

	it('isValidEmail and emailDomain', () => {
		expect(isValidEmail('A@B.CO')).toBe(true);
		expect(isValidEmail('nope')).toBe(false);
		expect(emailDomain('jane@shop.example.com')).toBe('shop.example.com');
		expect(emailDomain(null)).toBeNull();
		expect(emailDomain('nodomain')).toBeNull();
	});
});
