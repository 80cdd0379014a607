import type { Locale } from '$lib/i18n';

declare global {
	namespace App {
		interface Error {
			message: string;
			requestId?: string;
		}
		interface Locals {
			requestId: string;
			locale: Locale;
		}
	}
}

export {};
