import { emailDomainFacts, listedDomain } from '../../../core/classifier/domains';

describe('email domain facts', () => {
	it('recognises free-mail, including country variants and relays', () => {
		expect(emailDomainFacts('googlemail.com')).toMatchObject({ freeMail: 'googlemail.com', disposable: null, registrable: 'googlemail.com' });
		expect(emailDomainFacts('yahoo.co.uk')).toMatchObject({ freeMail: 'yahoo.co.uk', registrable: 'yahoo.co.uk', publicSuffix: 'co.uk' });
		expect(emailDomainFacts('privaterelay.appleid.com')).toMatchObject({ freeMail: 'privaterelay.appleid.com', registrable: 'appleid.com' });
	});

	it('finds a listed parent domain for a subdomain, but never above the registrable domain', () => {
		expect(emailDomainFacts('eu.mailinator.com').disposable).toBe('mailinator.com');
		expect(listedDomain('mail.acme.com', 'acme.com', new Set(['acme.com']))).toBe('acme.com');
		expect(listedDomain('acme.com', 'acme.com', new Set(['com']))).toBeNull();
		expect(listedDomain('x.acme.com', null, new Set(['acme.com']))).toBeNull();
	});

	it('flags disposable domains separately from free-mail', () => {
		expect(emailDomainFacts('mailinator.com').disposable).toBe('mailinator.com');
		expect(emailDomainFacts('yopmail.com').disposable).toBe('yopmail.com');
		expect(emailDomainFacts('gmail.com').disposable).toBeNull();
	});

	it('leaves company domains unlisted', () => {
		expect(emailDomainFacts('mail.acme-tools.co.uk')).toEqual({
			domain: 'mail.acme-tools.co.uk',
			registrable: 'acme-tools.co.uk',
			publicSuffix: 'co.uk',
			freeMail: null,
			disposable: null,
		});
	});
});
