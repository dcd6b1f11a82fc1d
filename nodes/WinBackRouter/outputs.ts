import { DEFAULT_ROUTE_NAMES, SUPPRESSED_OUTPUT, UNMATCHED_OUTPUT } from '../../core/router';

/**
 * The node's outputs, one per route, then Suppressed and Unmatched: computed from the parameters the
 * way n8n's Switch node (v3) does, so the canvas labels each output and adds or removes outputs as the
 * operator edits the routes.
 *
 * n8n evaluates this function's *source text* inside an expression (`outputs: '={{(...)($parameter, ...)}}'`),
 * in the editor and in the engine, on n8n 1.x and 2.x. So it must stay self-contained: no imports, no
 * module constants, plain ES2015 (no spread, optional chaining or `??`), and its text must not
 * contain two braces in a row, which end an n8n expression. A unit test checks all of that.
 */
export function configuredOutputs(parameters: Record<string, unknown>, defaultNames: string[], specialNames: string[]): Array<{ type: string; displayName: string }> {
	const names: string[] = [];
	let index;
	if (parameters && parameters.routing === 'custom') {
		const routes = parameters.routes && (parameters.routes as Record<string, unknown>).route;
		const list = Array.isArray(routes) ? routes : [];
		for (index = 0; index < list.length; index++) {
			const name = list[index] && list[index].name ? String(list[index].name).trim() : '';
			names.push(name !== '' ? name : 'Route ' + (index + 1));
		}
		if (parameters.includeDefaultRoutes !== false) {
			for (index = 0; index < defaultNames.length; index++) names.push(defaultNames[index]);
		}
	} else {
		for (index = 0; index < defaultNames.length; index++) names.push(defaultNames[index]);
	}
	for (index = 0; index < specialNames.length; index++) names.push(specialNames[index]);
	const outputs = [];
	for (index = 0; index < names.length; index++) outputs.push({ type: 'main', displayName: names[index] });
	return outputs;
}

/** Suppressed and Unmatched, always the last two outputs. */
export const SPECIAL_OUTPUT_NAMES = [SUPPRESSED_OUTPUT.name, UNMATCHED_OUTPUT.name];

/** The `outputs` expression of the node description. */
export const OUTPUTS_EXPRESSION: `={{${string}}}` = `={{(${configuredOutputs.toString()})($parameter, ${JSON.stringify(DEFAULT_ROUTE_NAMES)}, ${JSON.stringify(SPECIAL_OUTPUT_NAMES)})}}`;
