import { describe, expect, it } from 'vitest';
import { formatInitiativeDate, formatPartialDate, numberFormat } from './format';
import { translator } from './index';

describe('formatPartialDate', () => {
	it('formats each precision in the reader’s language', () => {
		expect(formatPartialDate('2019-05-03', 'en')).toBe('May 3, 2019');
		expect(formatPartialDate('2019-05', 'en')).toBe('May 2019');
		expect(formatPartialDate('2019', 'en')).toBe('2019');
		expect(formatPartialDate('2019-05-03', 'es')).toBe('3 de mayo de 2019');
		expect(formatPartialDate('2019-05', 'es')).toBe('mayo de 2019');
	});

	it('keeps locales and precisions apart when the formatters are reused', () => {
		// Interleaved calls: a cached formatter must never answer for another locale or precision.
		const calls: [string, string][] = [
			['2020-12', 'es'],
			['2020-12', 'en'],
			['2020-12-31', 'en'],
			['2020-12-31', 'es'],
			['2020', 'es'],
			['2020-12', 'es']
		];
		expect(calls.map(([d, l]) => formatPartialDate(d, l))).toEqual([
			'diciembre de 2020',
			'December 2020',
			'December 31, 2020',
			'31 de diciembre de 2020',
			'2020',
			'diciembre de 2020'
		]);
	});

	it('returns text that is not a partial date unchanged', () => {
		expect(formatPartialDate('TBC', 'en')).toBe('TBC');
		expect(formatPartialDate('2019-13', 'es')).toBe('2019-13');
	});

	it('formats a range and falls back to the precision label', () => {
		const t = translator('en');
		expect(formatInitiativeDate({ dateStart: '2019-05', dateEnd: '2020', datePrecision: 'month' }, t)).toBe(
			'May 2019 – 2020'
		);
		expect(formatInitiativeDate({ dateStart: '2019', dateEnd: '2019', datePrecision: 'year' }, t)).toBe('2019');
		expect(formatInitiativeDate({ dateStart: null, dateEnd: null, datePrecision: 'tbc' }, t)).toBe(
			'Date to be confirmed'
		);
	});
});

describe('translator', () => {
	it('is built once per locale and never shared between locales', () => {
		expect(translator('es')).toBe(translator('es'));
		expect(translator('en')).not.toBe(translator('es'));
		expect(translator('es').plural('common.initiatives_count', 1)).toBe('1 iniciativa');
		expect(translator('en').plural('common.initiatives_count', 1)).toBe('1 initiative');
	});
});

describe('numberFormat', () => {
	it('shares one formatter per locale and options, formatting as a new one would', () => {
		const options = { maximumFractionDigits: 1, useGrouping: false };
		const a = numberFormat('ar', options);
		expect(numberFormat('ar', { ...options })).toBe(a);
		expect(numberFormat('es', options)).not.toBe(a);
		expect(numberFormat('ar', { maximumFractionDigits: 3 })).not.toBe(a);
		for (const [locale, value] of [
			['ar', 1234.56],
			['es', 1234.56],
			['zh', 0.25]
		] as const) {
			expect(numberFormat(locale, options).format(value)).toBe(new Intl.NumberFormat(locale, options).format(value));
		}
	});
});
