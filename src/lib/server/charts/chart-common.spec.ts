import { describe, expect, it } from 'vitest';
import { chartSettings, labelColumn, mirror, SCORE_TICKS, scoreTicksX, shortRowLabel } from './chart-common';

describe('chartSettings', () => {
	it('defaults to a 640-wide LTR chart with one decimal in English', () => {
		const s = chartSettings({});
		expect(s.rtl).toBe(false);
		expect(s.width).toBe(640);
		expect(s.fmt(45.55)).toBe('45.6');
		expect(s.fmt(50)).toBe('50');
	});

	it('takes the locale, decimals, width and direction it is given', () => {
		const s = chartSettings({ locale: 'es', decimals: 2, width: 800, rtl: true });
		expect(s.rtl).toBe(true);
		expect(s.width).toBe(800);
		expect(s.fmt(45.555)).toBe('45,56');
		expect(s.fmt(1234)).toBe('1234');
	});

	it('rejects decimals that are not an integer 0–4', () => {
		expect(() => chartSettings({ decimals: 5 })).toThrow(RangeError);
		expect(() => chartSettings({ decimals: 1.5 })).toThrow(RangeError);
		expect(() => chartSettings({ decimals: -1 })).toThrow(RangeError);
	});
});

describe('labelColumn', () => {
	it('is at least 120 units wide, even with no rows or short labels', () => {
		expect(labelColumn([], undefined).width).toBe(120);
		expect(labelColumn([{ label: 'O1' }], undefined).width).toBe(120);
	});

	it('fits the longest label (6.6 units a character plus the 8-unit gap), up to 260', () => {
		const twenty = 'x'.repeat(20);
		expect(labelColumn([{ label: 'a' }, { label: twenty }], undefined).width).toBe(Math.ceil(20 * 6.6) + 8);
		expect(labelColumn([{ label: 'x'.repeat(300) }], undefined).width).toBe(260);
	});

	it('counts a flag as two more characters (the " *")', () => {
		const twenty = 'x'.repeat(20);
		expect(labelColumn([{ label: twenty, flag: 'low coverage' }], undefined).width).toBe(Math.ceil(22 * 6.6) + 8);
	});

	it('counts characters, not UTF-16 units', () => {
		const emoji = '😀'.repeat(20);
		expect(labelColumn([{ label: emoji }], undefined).width).toBe(Math.ceil(20 * 6.6) + 8);
	});

	it('keeps a given width and derives how many characters fit, at least 4', () => {
		expect(labelColumn([{ label: 'x'.repeat(300) }], 200)).toEqual({ width: 200, maxChars: Math.floor(192 / 6.6) });
		expect(labelColumn([], 10).maxChars).toBe(4);
	});
});

describe('shortRowLabel', () => {
	it('leaves a label that fits alone', () => {
		expect(shortRowLabel({ label: 'Objective 1' }, 20)).toBe('Objective 1');
	});

	it('truncates with an ellipsis to maxChars', () => {
		const s = shortRowLabel({ label: 'abcdefghijklmnopqrstuvwxyz' }, 10);
		expect([...s]).toHaveLength(10);
		expect(s).toBe('abcdefghi…');
	});

	it('makes room for " *" when the row has a flag', () => {
		expect(shortRowLabel({ label: 'Objective 1', flag: 'few experts' }, 20)).toBe('Objective 1 *');
		const s = shortRowLabel({ label: 'abcdefghijklmnopqrstuvwxyz', flag: 'x' }, 10);
		expect(s).toBe('abcdefg… *');
		expect([...s]).toHaveLength(10);
	});
});

describe('scoreTicksX', () => {
	const x = (v: number) => 100 + v * 4;
	const fmt = (v: number) => `${v}%`;

	it('places the 0–100 ticks with the scale and formats them', () => {
		const ticks = scoreTicksX(x, (v) => mirror(v, 600, false), fmt);
		expect(ticks.map((t) => t.value)).toEqual([...SCORE_TICKS]);
		expect(ticks[0]).toEqual({ value: 0, x: 100, text: '0%' });
		expect(ticks.at(-1)).toEqual({ value: 100, x: 500, text: '100%' });
	});

	it('mirrors the positions for RTL (0 on the right)', () => {
		const ticks = scoreTicksX(x, (v) => mirror(v, 600, true), fmt);
		expect(ticks[0]!.x).toBe(500);
		expect(ticks.at(-1)!.x).toBe(100);
	});
});
