/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- checkout tokens and order keys of sample payloads, not secrets */
/**
 * Delivery payloads modelled on the stores' documented webhook bodies, for unit tests, the contract
 * server and the e2e suite. Each builder takes overrides so a test states only what it is about.
 * - Shopify order/checkout/customer/refund: https://shopify.dev/docs/api/admin-rest/latest/resources/order,
 *   .../abandoned-checkouts (checkout), .../customer, .../refund (the webhook body is the resource JSON).
 * - WooCommerce: the REST v3 order/customer JSON (https://woocommerce.github.io/woocommerce-rest-api-docs/#orders),
 *   which is what WC_Webhook::build_payload sends.
 * - Zoho Commerce: the sales order JSON of https://www.zoho.com/commerce/api/salesorders.html
 */

type Json = Record<string, unknown>;

function merge<T extends Json>(base: T, overrides: Json = {}): T {
	return { ...base, ...overrides } as T;
}

export function shopifyCustomer(overrides: Json = {}): Json {
	return merge(
		{
			id: 706405506930370000,
			email: 'bob.norman@example.com',
			created_at: '2024-03-01T09:15:00-05:00',
			updated_at: '2024-03-01T09:15:00-05:00',
			first_name: 'Bob',
			last_name: 'Norman',
			orders_count: 0,
			state: 'disabled',
			total_spent: '0.00',
			last_order_id: null,
			note: null,
			verified_email: true,
			tax_exempt: false,
			tags: 'wholesale, newsletter',
			currency: 'USD',
			phone: '+16135551111',
			email_marketing_consent: { state: 'subscribed', opt_in_level: 'single_opt_in', consent_updated_at: '2024-03-01T09:15:00-05:00' },
			sms_marketing_consent: null,
			default_address: {
				id: 1,
				customer_id: 706405506930370000,
				company: 'Norman Supplies LLC',
				address1: '123 Elm St.',
				address2: null,
				city: 'Ottawa',
				province: 'Ontario',
				country: 'Canada',
				zip: 'K2P 1L4',
				phone: '+16135551111',
				country_code: 'CA',
				default: true,
			},
		},
		overrides,
	);
}

const shopifyAddress = {
	first_name: 'Bob',
	last_name: 'Norman',
	company: 'Norman Supplies LLC',
	address1: '123 Elm St.',
	address2: null,
	city: 'Ottawa',
	province: 'Ontario',
	province_code: 'ON',
	country: 'Canada',
	country_code: 'CA',
	zip: 'K2P 1L4',
	phone: '+16135551111',
};

export function shopifyOrder(overrides: Json = {}): Json {
	return merge(
		{
			id: 820982911946154500,
			admin_graphql_api_id: 'gid://shopify/Order/820982911946154508',
			name: '#1001',
			number: 1,
			order_number: 1001,
			email: 'bob.norman@example.com',
			contact_email: 'bob.norman@example.com',
			phone: null,
			created_at: '2024-03-01T10:00:00-05:00',
			updated_at: '2024-03-01T10:00:05-05:00',
			processed_at: '2024-03-01T10:00:00-05:00',
			cancelled_at: null,
			cancel_reason: null,
			closed_at: null,
			currency: 'USD',
			presentment_currency: 'USD',
			financial_status: 'paid',
			fulfillment_status: null,
			total_price: '199.65',
			subtotal_price: '189.65',
			total_tax: '10.00',
			total_discounts: '10.00',
			total_line_items_price: '199.65',
			total_shipping_price_set: { shop_money: { amount: '10.00', currency_code: 'USD' } },
			buyer_accepts_marketing: true,
			checkout_token: 'bd5a8aa1ecd019dd3520ff791ee3a24c',
			cart_token: 'c1-68aa8ee1a3b0c1d2',
			token: 'b1946ac92492d2347c6235b4d2611184',
			landing_site: '/products/widget?utm_source=newsletter&utm_medium=email&utm_campaign=spring',
			referring_site: 'https://www.google.com/',
			source_name: 'web',
			tags: '',
			note: null,
			note_attributes: [],
			discount_codes: [{ code: 'SPRING10', amount: '10.00', type: 'fixed_amount' }],
			line_items: [
				{
					id: 866550311766439000,
					product_id: 632910392,
					variant_id: 808950810,
					sku: 'IPOD2008PINK',
					title: 'IPod Nano - 8GB',
					name: 'IPod Nano - 8GB - Pink',
					quantity: 1,
					price: '199.00',
					total_discount: '0.00',
					vendor: 'Apple',
					product_type: 'Cult Products',
				},
				{
					id: 141249953214522980,
					product_id: 632910393,
					variant_id: 808950811,
					sku: 'CASE-01',
					title: 'Case',
					name: 'Case',
					quantity: 1,
					price: '0.65',
					total_discount: '0.00',
					vendor: 'Apple',
					product_type: 'Accessories',
				},
			],
			shipping_lines: [{ id: 1, title: 'Standard', price: '10.00', code: 'Standard' }],
			billing_address: shopifyAddress,
			shipping_address: shopifyAddress,
			customer: shopifyCustomer({ orders_count: 1, total_spent: '199.65' }),
			refunds: [],
		},
		overrides,
	);
}

export function shopifyCheckout(overrides: Json = {}): Json {
	return merge(
		{
			id: 35926012936,
			token: 'bd5a8aa1ecd019dd3520ff791ee3a24c',
			cart_token: 'c1-68aa8ee1a3b0c1d2',
			email: 'bob.norman@example.com',
			phone: null,
			gateway: null,
			buyer_accepts_marketing: true,
			created_at: '2024-03-01T09:50:00-05:00',
			updated_at: '2024-03-01T09:52:00-05:00',
			completed_at: null,
			closed_at: null,
			landing_site: '/products/widget?utm_source=newsletter&utm_medium=email&utm_campaign=spring',
			referring_site: 'https://www.google.com/',
			currency: 'USD',
			presentment_currency: 'USD',
			total_price: '199.65',
			subtotal_price: '199.65',
			total_tax: '0.00',
			total_discounts: '0.00',
			total_line_items_price: '199.65',
			abandoned_checkout_url: 'https://retention-test.myshopify.com/12345/checkouts/bd5a8aa1ecd019dd3520ff791ee3a24c/recover?key=abc',
			line_items: [
				{
					key: 'bd5a8aa1-1',
					product_id: 632910392,
					variant_id: 808950810,
					sku: 'IPOD2008PINK',
					title: 'IPod Nano - 8GB',
					variant_title: 'Pink',
					quantity: 1,
					price: '199.00',
					line_price: '199.00',
					vendor: 'Apple',
				},
				{
					key: 'bd5a8aa1-2',
					product_id: 632910393,
					variant_id: 808950811,
					sku: 'CASE-01',
					title: 'Case',
					quantity: 1,
					price: '0.65',
					line_price: '0.65',
					vendor: 'Apple',
				},
			],
			billing_address: shopifyAddress,
			shipping_address: shopifyAddress,
			customer: shopifyCustomer(),
		},
		overrides,
	);
}

export function shopifyRefund(overrides: Json = {}): Json {
	return merge(
		{
			id: 509562969,
			order_id: 820982911946154500,
			created_at: '2024-03-05T11:00:00-05:00',
			processed_at: '2024-03-05T11:00:00-05:00',
			note: 'Damaged in transit',
			restock: true,
			user_id: 548380009,
			refund_line_items: [
				{
					id: 104689539,
					quantity: 1,
					line_item_id: 866550311766439000,
					subtotal: '199.00',
					total_tax: '0.00',
					line_item: { id: 866550311766439000, product_id: 632910392, variant_id: 808950810, sku: 'IPOD2008PINK', title: 'IPod Nano - 8GB', name: 'IPod Nano - 8GB - Pink', quantity: 1, price: '199.00' },
				},
			],
			transactions: [
				{ id: 179259969, order_id: 820982911946154500, kind: 'refund', gateway: 'bogus', status: 'success', amount: '199.00', currency: 'USD' },
			],
			order_adjustments: [],
		},
		overrides,
	);
}

const wooBilling = {
	first_name: 'John',
	last_name: 'Doe',
	company: '',
	address_1: '969 Market',
	address_2: '',
	city: 'San Francisco',
	state: 'CA',
	postcode: '94103',
	country: 'US',
	email: 'john.doe@example.com',
	phone: '(555) 555-5555',
};

export function wooOrder(overrides: Json = {}): Json {
	return merge(
		{
			id: 727,
			parent_id: 0,
			number: '727',
			order_key: 'wc_order_58d2d042d1d',
			created_via: 'checkout',
			version: '9.4.0',
			status: 'processing',
			currency: 'USD',
			date_created: '2024-03-22T16:28:02',
			date_created_gmt: '2024-03-22T19:28:02',
			date_modified: '2024-03-22T16:28:08',
			date_modified_gmt: '2024-03-22T19:28:08',
			discount_total: '0.00',
			discount_tax: '0.00',
			shipping_total: '10.00',
			shipping_tax: '0.00',
			cart_tax: '1.35',
			total: '29.35',
			total_tax: '1.35',
			prices_include_tax: false,
			customer_id: 0,
			customer_ip_address: '',
			customer_user_agent: '',
			customer_note: '',
			billing: wooBilling,
			shipping: { ...wooBilling, email: undefined, phone: '' },
			payment_method: 'bacs',
			payment_method_title: 'Direct Bank Transfer',
			transaction_id: '',
			date_paid: '2024-03-22T16:28:08',
			date_paid_gmt: '2024-03-22T19:28:08',
			date_completed: null,
			date_completed_gmt: null,
			cart_hash: 'd7b5a1c2e3',
			meta_data: [
				{ id: 13106, key: '_wc_order_attribution_utm_source', value: 'google' },
				{ id: 13107, key: '_wc_order_attribution_utm_medium', value: 'cpc' },
			],
			line_items: [
				{ id: 315, name: 'Woo Single #1', product_id: 93, variation_id: 0, quantity: 2, tax_class: '', subtotal: '6.00', subtotal_tax: '0.45', total: '6.00', total_tax: '0.45', sku: 'WOO-1', price: 3 },
				{ id: 316, name: 'Ship Your Idea', product_id: 22, variation_id: 23, quantity: 1, tax_class: '', subtotal: '12.00', subtotal_tax: '0.90', total: '12.00', total_tax: '0.90', sku: 'SHIP-1', price: 12 },
			],
			tax_lines: [],
			shipping_lines: [{ id: 317, method_title: 'Flat Rate', method_id: 'flat_rate', total: '10.00', total_tax: '0.00' }],
			fee_lines: [],
			coupon_lines: [],
			refunds: [],
			payment_url: 'https://shop.example.com/checkout/order-pay/727/?pay_for_order=true&key=wc_order_58d2d042d1d',
		},
		overrides,
	);
}

export function wooCustomer(overrides: Json = {}): Json {
	return merge(
		{
			id: 25,
			date_created: '2024-03-22T16:28:02',
			date_created_gmt: '2024-03-22T19:28:02',
			date_modified: '2024-03-22T16:28:02',
			date_modified_gmt: '2024-03-22T19:28:02',
			email: 'john.doe@example.com',
			first_name: 'John',
			last_name: 'Doe',
			role: 'customer',
			username: 'john.doe',
			billing: wooBilling,
			shipping: { ...wooBilling, email: undefined },
			is_paying_customer: false,
			avatar_url: '',
			meta_data: [],
		},
		overrides,
	);
}

export function zohoSalesOrder(overrides: Json = {}): Json {
	const order = merge(
		{
			salesorder_id: '2632000000115021',
			salesorder_number: 'SO-00012',
			date: '2024-03-22',
			created_time: '2024-03-22T10:15:30+0530',
			last_modified_time: '2024-03-22T10:16:00+0530',
			status: 'confirmed',
			order_status: 'confirmed',
			paid_status: 'paid',
			shipped_status: 'pending',
			currency_code: 'INR',
			sub_total: 1000,
			tax_total: 180,
			discount_total: 0,
			shipping_charge: 50,
			total: 1230,
			customer_id: '2632000000097001',
			customer_name: 'Priya Raman',
			email: 'priya.raman@example.com',
			contact_person_details: [{ email: 'priya.raman@example.com', phone: '+91 98450 12345', first_name: 'Priya', last_name: 'Raman' }],
			billing_address: { attention: 'Priya Raman', address: '12 MG Road', city: 'Bengaluru', state: 'Karnataka', zip: '560001', country: 'India', phone: '+91 98450 12345' },
			shipping_address: { attention: 'Priya Raman', address: '12 MG Road', city: 'Bengaluru', state: 'Karnataka', zip: '560001', country: 'India', phone: '+91 98450 12345' },
			line_items: [
				{ line_item_id: '2632000000115025', item_id: '2632000000090015', sku: 'TEA-250', name: 'Masala Chai 250g', quantity: 2, rate: 500, item_total: 1000 },
			],
		},
		overrides,
	);
	return { salesorder: order };
}

export function customOrder(overrides: Json = {}): Json {
	return merge(
		{
			id: 'ORD-1001',
			number: '1001',
			createdAt: '2024-03-01T10:00:00Z',
			status: 'paid',
			currency: 'EUR',
			total: 120.5,
			email: 'clara@example.com',
			firstName: 'Clara',
			lastName: 'Schmidt',
			cartId: 'CART-77',
			lineItems: [{ sku: 'MUG-1', name: 'Mug', quantity: 2, price: 60.25 }],
		},
		overrides,
	);
}

export function customCart(overrides: Json = {}): Json {
	return merge(
		{
			id: 'CART-77',
			createdAt: '2024-03-01T09:40:00Z',
			updatedAt: '2024-03-01T09:45:00Z',
			email: 'clara@example.com',
			currency: 'EUR',
			total: 120.5,
			recoveryUrl: 'https://store.example.com/cart/recover/CART-77',
			lineItems: [{ sku: 'MUG-1', name: 'Mug', quantity: 2, price: 60.25 }],
		},
		overrides,
	);
}
