import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{ ignores: ['build/', '.svelte-kit/', 'node_modules/', '.data/', 'drizzle/', 'bench/results/', 'dist/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.node } }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig } }
	},
	{
		rules: {
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
			eqeqeq: ['error', 'always'],
			// Links in this app are plain server-rendered hrefs (no client router).
			'svelte/no-navigation-without-resolve': 'off'
		}
	},
	{
		// Layering: the domain core is pure (no server, routes, SvelteKit, database or node:fs).
		files: ['src/lib/core/**/*.ts'],
		ignores: ['src/lib/core/**/*.spec.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['**/server/**', '$lib/server/*', '**/routes/**'],
							message: 'core must not depend on server code'
						},
						{
							group: ['@sveltejs/*', '$app/*', 'drizzle-orm*', 'pg', '@electric-sql/*'],
							message: 'core is framework- and database-free'
						},
						{ group: ['node:fs', 'node:fs/*', 'fs', 'node:child_process'], message: 'core does no I/O' }
					]
				}
			]
		}
	},
	{
		// Routes and the CLI go through services, never the database directly.
		files: ['src/routes/**/*.ts', 'src/routes/**/*.svelte', 'cli/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['**/server/db/*.repository', '$lib/server/db/*.repository', 'drizzle-orm*'],
							message: 'call a service instead'
						}
					]
				}
			]
		}
	}
);
