/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- checkout tokens of sample payloads, not secrets */
/**
 * The store traffic of the templates' e2e run: Shopify orders and checkouts (the documented webhook
 * bodies of test/contract/stores/payloads.ts) for one wholesale buyer and one consumer, with the numbers
 * the assertions check.
 */
import { shopifyCheckout, shopifyCustomer, shopifyOrder } from '../../contract/stores/payloads';

type Json = Record<string, unknown>;

function address(first: string, last: string, company: string | null): Json {
	return { first_name: first, last_name: last, company, address1: '12 Harbour Road', address2: null, city: 'Leeds', province: 'England', province_code: 'ENG', country: 'United Kingdom', country_code: 'GB', zip: 'LS1 4AP', phone: '+441130000000' };
}

export interface Buyer {
	email: string;
	firstName: string;
	lastName: string;
	company: string | null;
	customerId: number;
}

/** A wholesale buyer: company e-mail domain, company name, VAT number, a 48-unit line. */
export const WHOLESALE: Buyer = { email: 'purchasing@northwind-traders.co.uk', firstName: 'Priya', lastName: 'Shah', company: 'Northwind Traders Ltd', customerId: 7001 };
/** A consumer on a free-mail address. */
export const CONSUMER: Buyer = { email: 'jane.doe@gmail.com', firstName: 'Jane', lastName: 'Doe', company: null, customerId: 7002 };

export const WHOLESALE_ACCOUNT_KEY = 'northwind-traders.co.uk';

function customer(buyer: Buyer): Json {
	return shopifyCustomer({
		id: buyer.customerId,
		email: buyer.email,
		first_name: buyer.firstName,
		last_name: buyer.lastName,
		tags: '',
		phone: null,
		default_address: { id: buyer.customerId, customer_id: buyer.customerId, ...address(buyer.firstName, buyer.lastName, buyer.company), default: true },
	});
}

export interface OrderSpec {
	buyer: Buyer;
	id: number;
	number: number;
	total: string;
	quantity: number;
	utm: { source: string; medium: string; campaign: string } | null;
	checkoutToken: string;
}

export const WHOLESALE_ORDER: OrderSpec = { buyer: WHOLESALE, id: 5550001, number: 2001, total: '1848.00', quantity: 48, utm: { source: 'linkedin', medium: 'paid_social', campaign: 'trade_q2' }, checkoutToken: 'tok-wholesale-order-2001' };
export const CONSUMER_ORDER: OrderSpec = { buyer: CONSUMER, id: 5550002, number: 2002, total: '49.90', quantity: 1, utm: { source: 'newsletter', medium: 'email', campaign: 'spring' }, checkoutToken: 'tok-consumer-order-2002' };

export function order(spec: OrderSpec): Json {
	const price = (Number(spec.total) / spec.quantity).toFixed(2);
	const landing = spec.utm ? `/collections/all?utm_source=${spec.utm.source}&utm_medium=${spec.utm.medium}&utm_campaign=${spec.utm.campaign}` : '/';
	return shopifyOrder({
		id: spec.id,
		admin_graphql_api_id: `gid://shopify/Order/${spec.id}`,
		name: `#${spec.number}`,
		number: spec.number - 1000,
		order_number: spec.number,
		email: spec.buyer.email,
		contact_email: spec.buyer.email,
		created_at: '2024-05-02T10:00:00+01:00',
		updated_at: '2024-05-02T10:00:05+01:00',
		processed_at: '2024-05-02T10:00:00+01:00',
		currency: 'GBP',
		presentment_currency: 'GBP',
		total_price: spec.total,
		subtotal_price: spec.total,
		total_tax: '0.00',
		total_discounts: '0.00',
		total_line_items_price: spec.total,
		checkout_token: spec.checkoutToken,
		cart_token: `cart-${spec.checkoutToken}`,
		landing_site: landing,
		discount_codes: [],
		line_items: [{ id: spec.id * 10, product_id: 9001, variant_id: 9101, sku: 'COFFEE-1KG', title: 'House Blend 1kg', name: 'House Blend 1kg', quantity: spec.quantity, price, total_discount: '0.00', vendor: 'Roastery', product_type: 'Coffee' }],
		shipping_lines: [],
		billing_address: address(spec.buyer.firstName, spec.buyer.lastName, spec.buyer.company),
		shipping_address: address(spec.buyer.firstName, spec.buyer.lastName, spec.buyer.company),
		customer: customer(spec.buyer),
		note_attributes: spec.buyer.company ? [{ name: 'vat_number', value: 'GB123456789' }] : [],
	});
}

export interface CheckoutSpec {
	buyer: Buyer | null;
	id: number;
	token: string;
	total: string;
	quantity: number;
}

export function checkout(spec: CheckoutSpec): Json {
	const price = (Number(spec.total) / spec.quantity).toFixed(2);
	return shopifyCheckout({
		id: spec.id,
		token: spec.token,
		cart_token: `cart-${spec.token}`,
		email: spec.buyer?.email ?? null,
		created_at: new Date(Date.now() - 120_000).toISOString(),
		updated_at: new Date().toISOString(),
		currency: 'GBP',
		presentment_currency: 'GBP',
		total_price: spec.total,
		subtotal_price: spec.total,
		total_line_items_price: spec.total,
		abandoned_checkout_url: `https://retention-test.myshopify.com/checkouts/${spec.token}/recover`,
		line_items: [{ key: `${spec.token}-1`, product_id: 9001, variant_id: 9101, sku: 'COFFEE-1KG', title: 'House Blend 1kg', quantity: spec.quantity, price, line_price: spec.total, vendor: 'Roastery' }],
		billing_address: spec.buyer ? address(spec.buyer.firstName, spec.buyer.lastName, spec.buyer.company) : null,
		shipping_address: spec.buyer ? address(spec.buyer.firstName, spec.buyer.lastName, spec.buyer.company) : null,
		customer: spec.buyer ? customer(spec.buyer) : null,
	});
}

/** Carts of the abandonment run: two abandoned (one wholesale), one completed by an order, one without e-mail. */
export const ABANDONED_CONSUMER_CART: CheckoutSpec = { buyer: { ...CONSUMER, email: 'sam.taylor@gmail.com', firstName: 'Sam', lastName: 'Taylor', customerId: 7003 }, id: 880001, token: 'tok-cart-consumer', total: '64.00', quantity: 2 };
export const ABANDONED_WHOLESALE_CART: CheckoutSpec = { buyer: { ...WHOLESALE, email: 'orders@contoso-cafes.com', firstName: 'Omar', lastName: 'Haddad', company: 'Contoso Cafes Ltd', customerId: 7004 }, id: 880002, token: 'tok-cart-wholesale', total: '1540.00', quantity: 40 };
export const COMPLETED_CART: CheckoutSpec = { buyer: { ...CONSUMER, email: 'li.wei@gmail.com', firstName: 'Li', lastName: 'Wei', customerId: 7005 }, id: 880003, token: 'tok-cart-completed', total: '32.00', quantity: 1 };
export const ANONYMOUS_CART: CheckoutSpec = { buyer: null, id: 880004, token: 'tok-cart-anonymous', total: '18.00', quantity: 1 };
