// What differs between the practice and the actor workspace pages: the form's field list, where
// the records live and the "new" page's title.
import type { MessageKey } from '$lib/i18n';
import { ACTOR_FORM, PRACTICE_FORM, type RecordFieldSpec } from '$lib/components/forms/record-form';

export type RecordKind = 'actor' | 'practice';

export const RECORD_KINDS: Record<
	RecordKind,
	{ spec: readonly RecordFieldSpec[]; base: string; newTitle: MessageKey }
> = {
	actor: { spec: ACTOR_FORM, base: '/workspace/actors', newTitle: 'actors.ws.actor_new_title' },
	practice: { spec: PRACTICE_FORM, base: '/workspace/practices', newTitle: 'actors.ws.practice_new_title' }
};
