import { accountNameFromDomain, companyIsPersonName, companyNameKey, isPlaceholderCompany } from '../../../core/classifier/accounts';
import { assessRoleAddress, assessTaxId, findBusinessAddressWord } from '../../../core/classifier/signals';

describe('tax ids', () => {
	it.each([
		['DE123456789', 'VAT number'],
		['FR12 345678901', 'VAT number'],
		['GB 123 4567 89', 'VAT number'],
		['NL123456789B01', 'VAT number'],
		['ESB12345678', 'VAT number'],
		['12-3456789', 'tax id'], // US EIN
		['12.345.678/0001-95', 'tax id'], // Brazilian CNPJ: a company's number
	])('%s is a business %s', (value, label) => {
		expect(assessTaxId(value)).toEqual({ kind: 'business', label, value });
	});

	it.each([
		['529.982.247-25', 'Brazilian CPF'], // check digits verify
		['52998224725', 'Brazilian CPF'],
		['RSSMRA85T10A562S', 'Italian codice fiscale'],
		['12345678Z', 'Spanish DNI/NIE'], // 12345678 mod 23 = 14 → Z
		['X1234567L', 'Spanish DNI/NIE'], // X → 0: 01234567 mod 23 = 19 → L
	])('%s is a personal %s, not a business signal', (value, label) => {
		expect(assessTaxId(value)).toEqual({ kind: 'personal', label, value });
	});

	it('does not take an 11-digit number with wrong CPF check digits for a CPF (Italian Partita IVA has 11 digits)', () => {
		expect(assessTaxId('52998224726').kind).toBe('business');
		expect(assessTaxId('11111111111').kind).toBe('business');
	});

	it.each(['n/a', '-', 'none', '0000', '123', 'x'])('ignores %s', (value) => {
		expect(assessTaxId(value).kind).toBe('ignored');
	});
});

describe('role mailboxes', () => {
	it.each([
		['purchasing@acme.com', 'purchasing'],
		['accounts@acme.com', 'accounts'],
		['ap@acme.com', 'ap'],
		['accounts.payable@acme.com', 'accounts.payable'],
		['accounts-payable+2024@acme.com', 'accounts-payable'],
		['einkauf@firma.de', 'einkauf'],
		['orders.blue-door@gmail.com', 'orders'],
	])('%s is a purchasing/accounts mailbox', (email, word) => {
		expect(assessRoleAddress(email)).toEqual({ kind: 'purchasing', word });
	});

	it.each([['info@acme.com', 'info'], ['office@acme.com', 'office'], ['hello.studio@gmail.com', 'hello']])('%s is a shared mailbox', (email, word) => {
		expect(assessRoleAddress(email)).toEqual({ kind: 'shared', word });
	});

	it.each(['jane.doe@acme.com', 'apollo@gmail.com', 'paccounts@acme.com', 'infoman@gmail.com'])('%s is a person', (email) => {
		expect(assessRoleAddress(email)).toBeNull();
	});
});

describe('business address words', () => {
	it.each([
		['Suite 210, 400 Commerce Blvd', 'Suite'],
		['Ste 5, 12 Main St', 'Ste'],
		['Unit 3, Parkside Business Park', 'Business Park'],
		['Unit 12, Riverside Industrial Estate', 'Industrial Estate'],
		['Industriestraße 12', 'Industriestraße'],
		['Zone Industrielle des Vignes', 'Zone Industrielle'],
		['Attn: Receiving, Loading Dock 2', 'Attn'],
		['Polígono Industrial Las Salinas', 'Polígono Industrial'],
	])('%s names a business location (%s)', (line, word) => {
		expect(findBusinessAddressWord(line)).toBe(word);
	});

	it.each(['Apt 4B', 'Flat 2', 'Unit 5', '2nd floor', '12 Suitland Road', 'c/o Parents', '5 Stewart Street'])('%s does not', (line) => {
		expect(findBusinessAddressWord(line)).toBeNull();
	});
});

describe('company names and accounts', () => {
	it.each(['n/a', 'N.A.', '-', 'none', 'Private', 'privat', '.', '12345', 'no company'])('%s is a placeholder', (value) => {
		expect(isPlaceholderCompany(value)).toBe(true);
	});

	it('keeps real names', () => {
		expect(isPlaceholderCompany('Acme Tools Ltd')).toBe(false);
		expect(isPlaceholderCompany('3M')).toBe(false);
	});

	it('builds one key for the spellings of one company', () => {
		expect(companyNameKey('ACME Tools Ltd.')).toBe('acme tools');
		expect(companyNameKey('Acme Tools Limited')).toBe('acme tools');
		expect(companyNameKey('Torrefazione Bianchi S.p.A.')).toBe('torrefazione bianchi');
		expect(companyNameKey('Kawiarnia Pod Lipą sp. z o.o.')).toBe('kawiarnia pod lipa');
		expect(companyNameKey('Kaffeehaus Müller GmbH & Co. KG')).toBe('kaffeehaus muller');
		expect(companyNameKey('Café des Arts SARL')).toBe('cafe des arts');
		expect(companyNameKey('GmbH')).toBe('gmbh');
	});

	it('infers a display name from a domain', () => {
		expect(accountNameFromDomain('acme-tools.co.uk')).toBe('Acme Tools');
		expect(accountNameFromDomain('bakery_by_jo.com')).toBe('Bakery By Jo');
		expect(accountNameFromDomain('northwind.com')).toBe('Northwind');
		expect(accountNameFromDomain('xn--85x722f.com.cn')).toBe('xn--85x722f.com.cn');
	});

	it("spots a company field that only repeats the shopper's name", () => {
		expect(companyIsPersonName('Jane Smith', ['Jane Smith'])).toBe(true);
		expect(companyIsPersonName('SMITH, Jane', ['Jane Smith'])).toBe(true);
		expect(companyIsPersonName('Smith Plumbing', ['Jane Smith'])).toBe(false);
	});
});
