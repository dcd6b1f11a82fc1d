import fc from 'fast-check';

import { nelderMead } from '../../../core/rfm/nelderMead';
import { digamma, hyp2f1, lnBeta, lnGamma, logAddExp } from '../../../core/rfm/special';

describe('lnGamma', () => {
	it.each([
		[1, 0],
		[2, 0],
		[0.5, 0.5 * Math.log(Math.PI)],
		[2.5, Math.log((3 * Math.sqrt(Math.PI)) / 4)],
		[10, Math.log(362880)],
		[0.1, 2.252712651734206], // ln Γ(0.1), Abramowitz & Stegun table value Γ(0.1) = 9.51350769866873
		[100, 359.1342053695754], // ln 99!
		[1e-8, -Math.log(1e-8) - 0.5772156649015329 * 1e-8], // Γ(x) ≈ 1/x − γ near 0
	])('ln Γ(%p) = %p', (x, expected) => {
		expect(Math.abs(lnGamma(x) - expected)).toBeLessThan(1e-12 * Math.max(1, Math.abs(expected)));
	});

	it('satisfies ln Γ(x + 1) = ln Γ(x) + ln x', () => {
		fc.assert(
			fc.property(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), (x) => {
				const expected = lnGamma(x) + Math.log(x);
				expect(Math.abs(lnGamma(x + 1) - expected)).toBeLessThan(1e-13 * Math.max(1, Math.abs(expected)));
			}),
		);
	});

	it('refuses non-positive arguments', () => {
		expect(() => lnGamma(0)).toThrow(RangeError);
		expect(() => lnGamma(-1.5)).toThrow(RangeError);
	});

	it('lnBeta(a, b) = ln(Γ(a)Γ(b)/Γ(a+b)); B(2, 3) = 1/12', () => {
		expect(lnBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 14);
	});

	it('logAddExp does not overflow', () => {
		expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 12);
		expect(logAddExp(-Infinity, 3)).toBe(3);
		expect(logAddExp(-1000, -1001)).toBeCloseTo(-1000 + Math.log1p(Math.exp(-1)), 12);
	});
});

describe('digamma', () => {
	it.each([
		[1, -0.5772156649015329], // −γ (Euler-Mascheroni)
		[0.5, -1.9635100260214235], // −γ − 2 ln 2
		[2, 0.42278433509846713], // 1 − γ
		[10, 2.251752589066721], // H₉ − γ
		[0.25, -4.227453533376265], // −γ − π/2 − 3 ln 2
		[100, 4.600161852738087], // mpmath.digamma(100) to 30 digits: 4.600161852738087400…
	])('ψ(%p) = %p', (x, expected) => {
		expect(Math.abs(digamma(x) - expected)).toBeLessThan(1e-13 * Math.max(1, Math.abs(expected)));
	});

	it('satisfies ψ(x + 1) = ψ(x) + 1/x', () => {
		fc.assert(
			fc.property(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), (x) => {
				// The sum cancels 1/x for small x: the rounding of the terms, not of the result, sets the scale.
				const expected = digamma(x) + 1 / x;
				expect(Math.abs(digamma(x + 1) - expected)).toBeLessThan(1e-13 * Math.max(1, 1 / x, Math.abs(expected)));
			}),
		);
	});

	it('is the derivative of lnGamma (central differences)', () => {
		for (const x of [0.05, 0.3, 1.7, 4.2, 12.5, 250]) {
			const h = 1e-5 * x;
			const numeric = (lnGamma(x + h) - lnGamma(x - h)) / (2 * h);
			expect(Math.abs(digamma(x) - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
		}
	});

	it('refuses non-positive arguments', () => {
		expect(() => digamma(0)).toThrow(RangeError);
		expect(() => digamma(-2.5)).toThrow(RangeError);
	});
});

describe('hyp2f1', () => {
	const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.max(1e-300, Math.abs(expected));

	it('₂F₁(1, 1; 2; z) = −ln(1 − z)/z, including near 1 and below −1 (Pfaff)', () => {
		for (const z of [-5, -3, -0.9, -0.5, -0.1, 0.1, 0.5, 0.9, 0.99, 0.999]) {
			expect(relative(hyp2f1(1, 1, 2, z), -Math.log(1 - z) / z)).toBeLessThan(1e-12);
		}
	});

	it('₂F₁(a, b; b; z) = (1 − z)^(−a)', () => {
		fc.assert(
			fc.property(fc.double({ min: 0.05, max: 5, noNaN: true }), fc.double({ min: 0.05, max: 5, noNaN: true }), fc.double({ min: -0.95, max: 0.95, noNaN: true }), (a, b, z) => {
				expect(relative(hyp2f1(a, b, b, z), Math.pow(1 - z, -a))).toBeLessThan(1e-11);
			}),
		);
	});

	it('₂F₁(½, ½; 3/2; z²) = arcsin(z)/z', () => {
		for (const z of [0.1, 0.5, 0.9, 0.99]) expect(relative(hyp2f1(0.5, 0.5, 1.5, z * z), Math.asin(z) / z)).toBeLessThan(1e-12);
	});

	it('refuses z ≥ 1 and c a non-positive integer', () => {
		expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
		expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(RangeError);
	});
});

describe('nelderMead', () => {
	it('finds the minimum of the Rosenbrock function', () => {
		const rosenbrock = ([x, y]: number[]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2;
		const result = nelderMead(rosenbrock, [-1.2, 1], { xTolerance: 1e-10, fTolerance: 1e-14, maxEvaluations: 10000 });
		expect(result.converged).toBe(true);
		expect(result.x[0]).toBeCloseTo(1, 6);
		expect(result.x[1]).toBeCloseTo(1, 6);
	});

	it('treats non-finite objective values as +∞ and walks away from them', () => {
		const objective = ([x]: number[]) => (x < 0 ? NaN : (x - 2) ** 2);
		const result = nelderMead(objective, [0.1], { xTolerance: 1e-9, fTolerance: 1e-14 });
		expect(result.x[0]).toBeCloseTo(2, 6);
	});

	it('reports non-convergence when the budget runs out', () => {
		const result = nelderMead(([x, y]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2, [-1.2, 1], { maxEvaluations: 20 });
		expect(result.converged).toBe(false);
	});
});
