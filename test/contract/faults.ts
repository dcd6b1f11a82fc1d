/**
 * Fault injection shared by the contract servers: a seeded plan of 5xx, 429 and dropped connections,
 * drawn per call at a configured rate, plus faults scripted for the next call on a route. Each fault
 * comes before or after the vendor applied the call, to test that retries do not write twice.
 */
import { seededRandom } from '../helpers/random';

export type FaultKind = 'serverError' | 'tooManyRequests' | 'drop';
export type FaultPhase = 'before' | 'after';

const KINDS: FaultKind[] = ['serverError', 'tooManyRequests', 'drop'];

export interface BaseFaultConfig {
	/** Share of API calls (0–1) that fail. */
	rate: number;
	/** Relative weights of the fault kinds (default equal). */
	kinds?: Partial<Record<FaultKind, number>>;
	seed?: number;
	/** Only calls whose route matches one of these; default every API route. */
	routes?: string[];
}

export interface ScriptedFault {
	kind: FaultKind;
	phase: FaultPhase;
	/** Applies to the next call on this route (default: the next API call). */
	route?: string;
	/** HTTP status for serverError (default 500). */
	status?: number;
}

export class FaultPlan<Config extends BaseFaultConfig> {
	config: Config | null = null;
	scripted: ScriptedFault[] = [];
	/** The plan's seeded generator; a server may draw other test values from it too. */
	random: () => number = seededRandom(1);

	/** @param afterShare of the drawn faults, the share that comes after the call was applied (default 0.5) */
	constructor(private readonly afterShare: (config: Config) => number | undefined) {}

	set(config: Config | null): void {
		this.config = config && config.rate > 0 ? { ...config } : null;
		this.random = seededRandom(config?.seed ?? 1);
	}

	script(faults: ScriptedFault[]): void {
		this.scripted.push(...faults);
	}

	clear(): void {
		this.config = null;
		this.scripted = [];
	}

	/** The fault for this call, if any: a scripted one for its route first, else one drawn at the rate. */
	pick(route: string, allow: { scripted: boolean; drawn: boolean } = { scripted: true, drawn: true }): ScriptedFault | null {
		const scriptedIndex = allow.scripted ? this.scripted.findIndex((fault) => !fault.route || fault.route === route) : -1;
		if (scriptedIndex >= 0) return this.scripted.splice(scriptedIndex, 1)[0];
		const config = this.config;
		if (!config || !allow.drawn) return null;
		if (config.routes && !config.routes.includes(route)) return null;
		if (this.random() >= config.rate) return null;
		const weights = { serverError: 1, tooManyRequests: 1, drop: 1, ...(config.kinds ?? {}) };
		let pick = this.random() * (weights.serverError + weights.tooManyRequests + weights.drop);
		let kind: FaultKind = 'drop';
		for (const candidate of KINDS) {
			if (pick < weights[candidate]) {
				kind = candidate;
				break;
			}
			pick -= weights[candidate];
		}
		const phase: FaultPhase = this.random() < (this.afterShare(config) ?? 0.5) ? 'after' : 'before';
		return { kind, phase };
	}
}
