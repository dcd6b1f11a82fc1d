/**
 * A node setting the operator must fix (not a problem of one item): names the parameter as the
 * operator sees it on the canvas, e.g. `Exchange Rates, entry 2`.
 */
export class SettingError extends Error {
	readonly parameter: string;

	constructor(parameter: string, message: string) {
		super(`${parameter}: ${message}`);
		this.name = 'SettingError';
		this.parameter = parameter;
	}
}
