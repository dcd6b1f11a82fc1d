/** Binds the delivery handler to the canonical-model normalisers. */
import { normalizeCart, normalizeCustomer, normalizeOrder, normalizeRefund, parseZohoCommerceBody } from '../model/normalizers';
import type { EntityMapper } from './delivery';

export const entityMapper: EntityMapper = {
	order: normalizeOrder,
	cart: normalizeCart,
	customer: normalizeCustomer,
	refund: normalizeRefund,
	parseZohoCommerceBody,
};
