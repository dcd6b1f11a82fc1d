import { EMPTY_UTM, hasUtm, mergeUtm, utmFromUrl } from '../../../core/model/utm';

describe('utmFromUrl', () => {
	it('reads a Shopify landing_site path', () => {
		expect(utmFromUrl('/products/x?utm_source=google&utm_medium=cpc&utm_campaign=brand&utm_term=red+shoes&utm_content=ad%201')).toEqual({
			source: 'google',
			medium: 'cpc',
			campaign: 'brand',
			term: 'red shoes',
			content: 'ad 1',
		});
	});

	it('reads full URLs, ignores the fragment, other parameters and blank values', () => {
		expect(utmFromUrl('https://shop.example.com/?ref=x&utm_source=fb&utm_medium=&fbclid=1#utm_campaign=nope')).toEqual({ ...EMPTY_UTM, source: 'fb' });
	});

	it('matches parameter names case-insensitively, first value wins', () => {
		expect(utmFromUrl('/?UTM_Source=Newsletter&utm_source=other&Utm_Medium=Email')).toEqual({ ...EMPTY_UTM, source: 'Newsletter', medium: 'Email' });
	});

	it('gives all-null for no URL, no query or no utm parameters', () => {
		expect(utmFromUrl(null)).toEqual(EMPTY_UTM);
		expect(utmFromUrl(undefined)).toEqual(EMPTY_UTM);
		expect(utmFromUrl('/products/x')).toEqual(EMPTY_UTM);
		expect(utmFromUrl('/products/x?page=2')).toEqual(EMPTY_UTM);
		// A broken percent-escape is decoded leniently (U+FFFD), never a crash.
		expect(typeof utmFromUrl('/?utm_source=%E0%A4%A').source).toBe('string');
	});
});

describe('mergeUtm', () => {
	it('explicit values win field by field, the URL fills the gaps, blanks do not count', () => {
		const fromUrl = utmFromUrl('/?utm_source=url&utm_medium=url&utm_term=url');
		expect(mergeUtm({ source: 'meta', medium: '  ', campaign: 'meta' }, fromUrl)).toEqual({ source: 'meta', medium: 'url', campaign: 'meta', term: 'url', content: null });
	});

	it('hasUtm', () => {
		expect(hasUtm(EMPTY_UTM)).toBe(false);
		expect(hasUtm({ ...EMPTY_UTM, content: 'x' })).toBe(true);
	});
});
