import { describe, expect, it } from 'vitest';
import {
	ACTION_TYPES,
	INITIATOR_KINDS,
	SCOPES,
	SORTS,
	DATE_PRECISIONS,
	VERIFICATION_STATUSES
} from '../core/registry/vocabulary';
import { REGIONAL_COMMISSIONS } from '../core/reference';
import { CATALOGUE_FOR_TESTS, MESSAGE_KEYS, negotiateLocale, translator } from './index';

describe('i18n', () => {
	it('has a complete Spanish catalogue with the same placeholders as English', () => {
		const { en, es } = CATALOGUE_FOR_TESTS;
		for (const key of MESSAGE_KEYS) {
			expect(es[key], key).toBeTruthy();
			const ph = (s: string | undefined) => [...(s ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
			expect(ph(es[key]), key).toEqual(ph(en[key]));
		}
	});

	it('has a label for every vocabulary value', () => {
		const groups: [string, readonly string[]][] = [
			['action_type', ACTION_TYPES],
			['initiator_kind', INITIATOR_KINDS],
			['scope', SCOPES],
			['sort', SORTS],
			['date_precision', DATE_PRECISIONS],
			['verification', VERIFICATION_STATUSES],
			['commission', REGIONAL_COMMISSIONS.map((c) => c.key)]
		];
		for (const [group, values] of groups) {
			for (const v of values) expect(MESSAGE_KEYS, `${group}.${v}`).toContain(`${group}.${v}`);
		}
	});

	it('chooses plural forms and formats numbers per locale', () => {
		expect(translator('en').plural('common.initiatives_count', 1)).toBe('1 initiative');
		expect(translator('en').plural('common.initiatives_count', 1234)).toBe('1,234 initiatives');
		expect(translator('es').plural('common.initiatives_count', 2)).toBe('2 iniciativas');
	});

	it('falls back to English for partial catalogues and marks Arabic right-to-left', () => {
		const ar = translator('ar');
		expect(ar.dir).toBe('rtl');
		expect(ar.complete).toBe(false);
		expect(ar.t('nav.home')).toBe('Home');
		expect(translator('es').complete).toBe(true);
	});

	it('negotiates the language from Accept-Language among complete catalogues', () => {
		expect(negotiateLocale('es-CL,es;q=0.9,en;q=0.8')).toBe('es');
		expect(negotiateLocale('fr-FR,fr;q=0.9')).toBe('en');
		expect(negotiateLocale(null)).toBe('en');
	});
});
