/** Why a predictive model could not be fitted; the message says it in an operator's words. */
export type ModelFitFailure = 'invalid_data' | 'too_few_customers' | 'too_few_repeat_customers' | 'not_converged' | 'degenerate';

export class ModelFitError extends Error {
	readonly failure: ModelFitFailure;
	readonly model: 'BG/NBD' | 'Gamma-Gamma';

	constructor(model: 'BG/NBD' | 'Gamma-Gamma', failure: ModelFitFailure, message: string) {
		super(`${model}: ${message}`);
		this.name = 'ModelFitError';
		this.model = model;
		this.failure = failure;
	}
}
