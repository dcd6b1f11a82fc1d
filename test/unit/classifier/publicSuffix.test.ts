/* eslint-disable @typescript-eslint/no-require-imports */
import { DISPOSABLE_EMAIL_DOMAINS } from '../../../core/classifier/data/disposableEmailDomains';
import { FREE_EMAIL_DOMAINS } from '../../../core/classifier/data/freeEmailDomains';
import { PUBLIC_SUFFIX_RULES } from '../../../core/classifier/data/publicSuffixRules';
import { domainParts, registrableDomain } from '../../../core/classifier/publicSuffix';

// The reference implementation installed as a dev dependency (CommonJS build).
const psl = require('psl') as { get(domain: string): string | null };

describe('registrable domain (eTLD+1) by the Public Suffix List', () => {
	it('strips subdomains down to the organisation', () => {
		expect(registrableDomain('mail.acme.com')).toBe('acme.com');
		expect(registrableDomain('shop.acme-tools.co.uk')).toBe('acme-tools.co.uk');
		expect(registrableDomain('eu.mail.bakery.com.au')).toBe('bakery.com.au');
		expect(domainParts('shop.acme-tools.co.uk')).toEqual({ registrable: 'acme-tools.co.uk', publicSuffix: 'co.uk' });
	});

	it('gives no registrable domain for a public suffix itself', () => {
		expect(domainParts('co.uk')).toEqual({ registrable: null, publicSuffix: 'co.uk' });
		expect(registrableDomain('com')).toBeNull();
		expect(registrableDomain('com.au')).toBeNull();
	});

	// Official test vectors (https://github.com/publicsuffix/list/blob/main/tests/test_psl.txt), ASCII forms;
	// the kobe.jp exception answers are the ones the psl package documents and the spec's exception rule gives.
	it.each([
		['example.com', 'example.com'], ['b.example.com', 'example.com'], ['a.b.example.com', 'example.com'],
		['uk.com', null], ['example.uk.com', 'example.uk.com'], ['a.b.example.uk.com', 'example.uk.com'], ['test.ac', 'test.ac'],
		['c.mm', null], ['b.c.mm', 'b.c.mm'], ['a.b.c.mm', 'b.c.mm'],
		['test.jp', 'test.jp'], ['www.test.jp', 'test.jp'], ['ac.jp', null], ['test.ac.jp', 'test.ac.jp'],
		['kyoto.jp', null], ['test.kyoto.jp', 'test.kyoto.jp'], ['ide.kyoto.jp', null], ['b.ide.kyoto.jp', 'b.ide.kyoto.jp'],
		['a.b.ide.kyoto.jp', 'b.ide.kyoto.jp'], ['c.kobe.jp', null], ['b.c.kobe.jp', 'b.c.kobe.jp'], ['a.b.c.kobe.jp', 'b.c.kobe.jp'],
		['city.kobe.jp', 'city.kobe.jp'], ['www.city.kobe.jp', 'city.kobe.jp'],
		['test.ck', null], ['b.test.ck', 'b.test.ck'], ['a.b.test.ck', 'b.test.ck'], ['www.ck', 'www.ck'], ['www.www.ck', 'www.ck'],
		['test.us', 'test.us'], ['www.test.us', 'test.us'], ['ak.us', null], ['test.ak.us', 'test.ak.us'],
		['k12.ak.us', null], ['test.k12.ak.us', 'test.k12.ak.us'],
		['xn--85x722f.com.cn', 'xn--85x722f.com.cn'], ['xn--85x722f.xn--55qx5d.cn', 'xn--85x722f.xn--55qx5d.cn'],
		['www.xn--85x722f.xn--55qx5d.cn', 'xn--85x722f.xn--55qx5d.cn'], ['xn--55qx5d.cn', null],
		['xn--85x722f.xn--fiqs8s', 'xn--85x722f.xn--fiqs8s'], ['xn--fiqs8s', null],
		['example.example', 'example.example'], ['a.b.example.example', 'example.example'], ['domain.biz', 'domain.biz'],
	])('%s → %s', (host, expected) => {
		expect(registrableDomain(host)).toBe(expected);
	});

	it('agrees with the psl package on every shipped list domain and on hosts built from every rule', () => {
		const rules = PUBLIC_SUFFIX_RULES.split('\n');
		// psl treats the bare parent of a wildcard rule ("0emm.com" for "*.0emm.com") as a suffix; the PSL
		// algorithm does not ("*.0emm.com" needs one more label, so "com" prevails). Those hosts are left out.
		const wildcardParents = new Set(rules.filter((rule) => rule.startsWith('*.')).map((rule) => rule.slice(2)));
		const hosts = [...FREE_EMAIL_DOMAINS.split('\n'), ...DISPOSABLE_EMAIL_DOMAINS.split('\n').filter((_, index) => index % 7 === 0)];
		for (const rule of rules) {
			const suffix = rule.replace(/^(\*\.|!)/, '');
			hosts.push(`x.${suffix}`, `a.b.${suffix}`, `mail.shop.${suffix}`);
		}
		const disagreements = hosts.filter((host) => !wildcardParents.has(host) && registrableDomain(host) !== psl.get(host));
		expect(disagreements).toEqual([]);
		expect(hosts.length).toBeGreaterThan(40_000);
	});

	it('follows the PSL algorithm where psl differs: a wildcard rule needs one label more', () => {
		expect(PUBLIC_SUFFIX_RULES.split('\n')).toContain('*.0emm.com');
		expect(registrableDomain('0emm.com')).toBe('0emm.com');
		expect(registrableDomain('x.0emm.com')).toBeNull();
		expect(registrableDomain('a.x.0emm.com')).toBe('a.x.0emm.com');
	});
});
