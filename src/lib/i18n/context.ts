import { getContext, setContext } from 'svelte';
import type { Translator } from './index';

const KEY = Symbol('i18n');

/** Provides the request's translator; a getter, so the layout can derive it from its props. */
export function provideI18n(get: () => Translator): void {
	setContext(KEY, get);
}

/** The translator of the current request (set by the root layout). */
export function useI18n(): Translator {
	const get = getContext<(() => Translator) | undefined>(KEY);
	if (!get) throw new Error('useI18n() called outside the root layout');
	return get();
}
