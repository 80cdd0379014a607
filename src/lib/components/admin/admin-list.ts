// The admin lists' paging and the shape of their forms' failures (what the form actions return).

/** How many pages `total` rows make at `pageSize` a page (at least one). */
export const pageCount = (total: number, pageSize: number) => Math.max(1, Math.ceil(total / pageSize));

/** `path?k=v&…&page=n`: the list's current filter (empty values left out) on page `n`. */
export const pageHref = (path: string, filter: readonly (readonly [string, string])[], n: number) =>
	`${path}?${[...filter, ['page', String(n)] as const]
		.filter(([, v]) => v !== '')
		.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
		.join('&')}`;

/** A failed admin form: which form, the error code, the issues and the typed values. */
export type AdminFailure = {
	form: string;
	code: string;
	issues: { field: string; message: string }[];
	values: Record<string, string>;
};

export const failureOf = (form: unknown): AdminFailure | null =>
	form && typeof form === 'object' && 'issues' in form && form.issues ? (form as AdminFailure) : null;
