/**
 * The one entry point from store payloads to the canonical model (core/model/types.ts).
 * Each function throws a NormalizationError naming the payload field it could not read
 * (`line_items[2].price`); absent optional data becomes null. docs/canonical-model.md has the
 * mapping tables per store and the generic JSON shape for custom stores.
 */
import { NormalizationError, describeValue } from '../errors';
import type { Cart, Customer, Order, Refund, SourceStore } from '../types';
import { customCart, customCustomer, customOrder, customRefund } from './custom';
import type { NormalizeOptions } from './shared';
import { shopifyCart, shopifyCustomer, shopifyOrder, shopifyRefund } from './shopify';
import { wooCart, wooCustomer, wooOrder, wooRefund } from './woocommerce';
import { parseZohoCommerceBody, zohoCart, zohoCustomer, zohoOrder, zohoRefund } from './zohoCommerce';

export type { NormalizeOptions } from './shared';
export { parseZohoCommerceBody };

type Normalizer<T> = (payload: unknown, options?: NormalizeOptions) => T;

const ORDERS: Record<SourceStore, Normalizer<Order>> = { shopify: shopifyOrder, woocommerce: wooOrder, zohoCommerce: zohoOrder, custom: customOrder };
const CARTS: Record<SourceStore, Normalizer<Cart>> = { shopify: shopifyCart, woocommerce: wooCart, zohoCommerce: zohoCart, custom: customCart };
const CUSTOMERS: Record<SourceStore, Normalizer<Customer>> = {
	shopify: shopifyCustomer,
	woocommerce: wooCustomer,
	zohoCommerce: zohoCustomer,
	custom: customCustomer,
};
const REFUNDS: Record<SourceStore, Normalizer<Refund>> = { shopify: shopifyRefund, woocommerce: wooRefund, zohoCommerce: zohoRefund, custom: customRefund };

function pick<T>(table: Record<SourceStore, Normalizer<T>>, source: SourceStore): Normalizer<T> {
	const normalizer = Object.prototype.hasOwnProperty.call(table, source) ? table[source] : undefined;
	if (!normalizer) {
		throw new NormalizationError('source', `${describeValue(source)} is not a store this package reads (shopify, woocommerce, zohoCommerce, custom)`, source);
	}
	return normalizer;
}

export function normalizeOrder(source: SourceStore, payload: unknown, options?: NormalizeOptions): Order {
	return pick(ORDERS, source)(payload, options);
}

/** Shopify checkouts; for WooCommerce and Zoho Commerce (no cart events) the unpaid order standing for the checkout. */
export function normalizeCart(source: SourceStore, payload: unknown, options?: NormalizeOptions): Cart {
	return pick(CARTS, source)(payload, options);
}

export function normalizeCustomer(source: SourceStore, payload: unknown, options?: NormalizeOptions): Customer {
	return pick(CUSTOMERS, source)(payload, options);
}

export function normalizeRefund(source: SourceStore, payload: unknown, options?: NormalizeOptions): Refund {
	return pick(REFUNDS, source)(payload, options);
}
