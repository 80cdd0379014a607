import { describe, expect, it } from 'vitest';
import { dateInterval, parsePartialDate } from './partial-date';

describe('parsePartialDate', () => {
	it('reads years, months and days with the interval they cover', () => {
		expect(parsePartialDate('2019')).toEqual({
			text: '2019',
			precision: 'year',
			first: '2019-01-01',
			last: '2019-12-31'
		});
		expect(parsePartialDate('2020-02')?.last).toBe('2020-02-29');
		expect(parsePartialDate('2019-02')?.last).toBe('2019-02-28');
		expect(parsePartialDate('2019-12-02')).toMatchObject({ precision: 'day', first: '2019-12-02', last: '2019-12-02' });
	});

	it('rejects impossible or malformed dates', () => {
		for (const bad of ['2019-13', '2019-02-30', '19-01-01', '2019/01/01', '', '1800', '2019-1-5', '2019-04-31']) {
			expect(parsePartialDate(bad)).toBeNull();
		}
	});
});

describe('dateInterval', () => {
	it('spans from the start of the start date to the end of the end date', () => {
		expect(dateInterval('2018', '2021')).toEqual({ from: '2018-01-01', to: '2021-12-31' });
		expect(dateInterval('2019-12-02', '2019-12-13')).toEqual({ from: '2019-12-02', to: '2019-12-13' });
	});
	it('uses the start period alone when there is no end, and null without a start', () => {
		expect(dateInterval('2019-05', null)).toEqual({ from: '2019-05-01', to: '2019-05-31' });
		expect(dateInterval(null, '2019')).toBeNull();
	});
});
