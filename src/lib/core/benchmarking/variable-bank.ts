/**
 * The variable bank of the default methodology (`gcm-benchmark` 1.0): for each of the 23 GCM
 * objectives, concrete policy questions a desk researcher can answer from public documents.
 *
 * Written by the GCM Observatory team in plain language from the commitment and actions of each
 * objective in A/RES/73/195 (objective n is stated in paragraph n + 16). `gcmParagraph` gives the
 * paragraph, plus the lettered action only where the team checked the letter against the published
 * text; otherwise the question derives from the paragraph's commitment as a whole. Sources, the
 * weighting rule and the editorial choices are in data/methodology/README.md.
 *
 * Keys `O<n>.<k>` are stable: a later methodology version keeps a key only for an unchanged question.
 * Questions are in English and Spanish; guidance is in English (Spanish guidance is a follow-up).
 */
import type { ObjectiveNumber } from '../reference/types';
import type { Variable } from './types';

interface Guidance {
	/** What evidence makes the answer `full`. */
	full: string;
	/** What makes it `partial`. */
	partial: string;
	/** What makes it `absent`. */
	absent: string;
	/** Where to look: document types and likely issuers. */
	look: string;
	/** When `not_applicable` is the right answer, if ever. */
	na?: string;
}

function guidanceText(g: Guidance): string {
	const parts = [`Full: ${g.full}`, `Partial: ${g.partial}`, `Absent: ${g.absent}`];
	if (g.na) parts.push(`Not applicable: ${g.na}`);
	parts.push(`Where to look: ${g.look}`);
	return parts.join('\n');
}

function v(
	objective: ObjectiveNumber,
	k: number,
	gcmParagraph: string,
	weight: number,
	en: string,
	es: string,
	g: Guidance
): Variable {
	return {
		key: `O${objective}.${k}`,
		objective,
		question: { en, es },
		guidance: { en: guidanceText(g) },
		gcmParagraph,
		weight
	};
}

export const VARIABLE_BANK: readonly Variable[] = [
	// Objective 1 — data (§17)
	v(
		1,
		1,
		'17',
		2,
		'Does the national statistical system regularly publish migration statistics disaggregated at least by sex, age and migration status?',
		'¿Publica el sistema estadístico nacional, de forma periódica, estadísticas migratorias desglosadas al menos por sexo, edad y situación migratoria?',
		{
			full: 'official statistics on migrants are published at least every two years and are broken down by sex, age and migration status (or citizenship and country of birth).',
			partial:
				'statistics exist but are irregular, out of date (older than five years) or lack one of the three breakdowns.',
			absent: 'no official migration statistics are published, or only totals without any breakdown.',
			look: 'national statistical office releases and data portals, migration authority yearbooks, census and survey tabulations.'
		}
	),
	v(
		1,
		2,
		'17',
		1,
		'Did the most recent population census (or register-based count) identify international migrants by country of birth, citizenship and year of arrival?',
		'¿Identificó el censo de población más reciente (o el recuento basado en registros) a las personas migrantes internacionales por país de nacimiento, nacionalidad y año de llegada?',
		{
			full: 'the questionnaire or register includes all three items and results are published.',
			partial: 'one or two of the items are included, or results on them are not published.',
			absent: 'the census did not include migration items, or no census has been held in the last 15 years.',
			look: 'census questionnaire, census methodology report, statistical office publications.'
		}
	),
	v(
		1,
		3,
		'17',
		1,
		'Is there an adopted national strategy or plan for improving migration data, with a designated lead institution?',
		'¿Existe una estrategia o plan nacional adoptado para mejorar los datos migratorios, con una institución responsable designada?',
		{
			full: 'a strategy or plan is formally adopted, names a lead institution and sets concrete actions or timelines.',
			partial:
				'migration data is covered only in a general statistics plan, or a plan exists in draft or without a lead institution.',
			absent: 'no such strategy or plan can be found.',
			look: 'national statistics development strategy, migration policy documents, statistical office work programmes.'
		}
	),
	v(
		1,
		4,
		'17',
		1,
		'Are administrative records on migration (visas, residence permits, border crossings) used to produce official statistics in cooperation with the national statistical office?',
		'¿Se utilizan los registros administrativos migratorios (visados, permisos de residencia, pasos fronterizos) para producir estadísticas oficiales en cooperación con la oficina nacional de estadística?',
		{
			full: 'an agreement or regular practice exists and statistics from these records are published.',
			partial: 'records are published by the migration authority alone, without statistical standards or regularity.',
			absent: 'administrative migration records are not turned into public statistics.',
			look: 'inter-institutional agreements, migration authority statistics pages, statistical office metadata.'
		}
	),
	v(
		1,
		5,
		'17',
		1,
		'Does a data protection law cover personal data collected for migration purposes, for everyone regardless of nationality or migration status?',
		'¿Protege una ley de protección de datos los datos personales recogidos con fines migratorios, para todas las personas con independencia de su nacionalidad o situación migratoria?',
		{
			full: 'a data protection law applies to migration authorities and does not exclude non-nationals, with an independent supervisory body.',
			partial:
				'a law exists but migration or security data is broadly exempted, or there is no independent supervisor.',
			absent: 'there is no general data protection law.',
			look: 'data protection act, migration law provisions on data, data protection authority reports.'
		}
	),

	// Objective 2 — adverse drivers (§18)
	v(
		2,
		1,
		'18',
		1,
		'Does the national development plan address the drivers that compel people to emigrate (such as lack of decent work, poverty or insecurity)?',
		'¿Aborda el plan nacional de desarrollo los factores que obligan a las personas a emigrar (como la falta de trabajo decente, la pobreza o la inseguridad)?',
		{
			full: 'the plan explicitly links development measures to reducing forced or distress emigration, with targets.',
			partial: 'migration is mentioned but without concrete measures or targets.',
			absent: 'the plan does not mention emigration or its drivers.',
			look: 'national development plan, poverty reduction strategy, voluntary national review on the SDGs.',
			na: 'only if the country has negligible emigration according to official data; explain in the note.'
		}
	),
	v(
		2,
		2,
		'18',
		1,
		'Do disaster risk reduction or climate adaptation plans address human mobility (displacement, migration or planned relocation)?',
		'¿Abordan los planes de reducción del riesgo de desastres o de adaptación al cambio climático la movilidad humana (desplazamiento, migración o reubicación planificada)?',
		{
			full: 'the plans contain specific measures on displacement or mobility, with responsible institutions.',
			partial: 'mobility is mentioned only as a risk, without measures.',
			absent: 'the plans do not address human mobility, or no such plans exist.',
			look: 'national adaptation plan, disaster risk reduction strategy, nationally determined contribution.'
		}
	),
	v(
		2,
		3,
		'18',
		1,
		'Is there a system that monitors or anticipates risks that may cause displacement (such as disasters, environmental degradation or conflict)?',
		'¿Existe un sistema que vigile o anticipe los riesgos que pueden provocar desplazamientos (como desastres, degradación ambiental o conflictos)?',
		{
			full: 'an early-warning or risk-monitoring system operates and its outputs consider population movement.',
			partial: 'an early-warning system exists but does not consider displacement or migration.',
			absent: 'no such system exists.',
			look: 'civil protection agency, meteorological or disaster management authority, displacement tracking reports.'
		}
	),
	v(
		2,
		4,
		'18',
		1,
		'Are there public programmes for youth employment, vocational training or entrepreneurship targeted at areas or groups with high emigration?',
		'¿Existen programas públicos de empleo juvenil, formación profesional o emprendimiento dirigidos a zonas o grupos con alta emigración?',
		{
			full: 'at least one funded programme explicitly targets high-emigration areas or groups.',
			partial: 'general programmes exist but are not targeted at emigration areas or groups.',
			absent: 'no such programmes can be found.',
			look: 'labour ministry programmes, budget documents, development agency project lists.',
			na: 'only if the country has negligible emigration according to official data.'
		}
	),

	// Objective 3 — information (§19)
	v(
		3,
		1,
		'19',
		1,
		'Is there a centralised, publicly accessible official website with information on regular migration options, requirements and procedures?',
		'¿Existe un sitio web oficial, centralizado y de acceso público con información sobre las opciones, requisitos y procedimientos de la migración regular?',
		{
			full: 'one official website covers entry, stay, work and study options and procedures, and is kept up to date.',
			partial: 'information is scattered across several sites, incomplete or clearly outdated.',
			absent: 'no official online information on migration procedures exists.',
			look: 'migration authority and foreign ministry websites, government service portals.'
		}
	),
	v(
		3,
		2,
		'19',
		1,
		'Is official migration information available in languages spoken by the main migrant groups, and in accessible formats?',
		'¿Está disponible la información migratoria oficial en los idiomas de los principales grupos de migrantes y en formatos accesibles?',
		{
			full: 'key information is offered in the main languages of migrants in the country and in accessible formats (plain language, audio or easy-read).',
			partial: 'information is available in one foreign language only, or only some content is translated.',
			absent: 'information is available only in the official language(s).',
			look: 'official migration websites, leaflets, helpline descriptions.'
		}
	),
	v(
		3,
		3,
		'19',
		1,
		'Do newly arrived migrants receive information or orientation on their rights and obligations, including where to get legal advice?',
		'¿Reciben las personas migrantes recién llegadas información u orientación sobre sus derechos y obligaciones, incluido dónde obtener asesoramiento jurídico?',
		{
			full: 'a public orientation programme or information service for newcomers exists and covers rights, obligations and legal advice.',
			partial:
				'orientation exists only for some groups (e.g. certain visa holders) or is run only by NGOs without public support.',
			absent: 'no orientation or information service for newcomers exists.',
			look: 'integration or migration authority programmes, municipal services, NGO reports.'
		}
	),
	v(
		3,
		4,
		'19',
		1,
		'Are there pre-departure information or awareness programmes on safe and regular migration for people considering leaving the country?',
		'¿Existen programas de información previa a la partida o de sensibilización sobre migración segura y regular para quienes consideran salir del país?',
		{
			full: 'a public pre-departure programme or campaign runs regularly and covers risks, rights and regular options.',
			partial: 'only occasional campaigns, or programmes limited to one group (e.g. contract workers).',
			absent: 'no such programmes exist.',
			look: 'labour or foreign ministry, overseas employment agency, IOM country office project pages.',
			na: 'only if the country has negligible emigration according to official data.'
		}
	),

	// Objective 4 — legal identity and documentation (§20)
	v(
		4,
		1,
		'20',
		1,
		'Can the births of children of foreign nationals, including parents in an irregular situation, be registered in the civil registry?',
		'¿Pueden inscribirse en el registro civil los nacimientos de hijos e hijas de personas extranjeras, incluidas las que están en situación irregular?',
		{
			full: 'law and practice allow birth registration regardless of the parents’ nationality or migration status, free of charge.',
			partial:
				'registration is possible but requires documents that parents in an irregular situation often cannot provide, or involves fees or reporting to immigration authorities.',
			absent: 'births to parents without regular status cannot be registered.',
			look: 'civil registry law and regulations, registry office guidance, ombudsperson or UNICEF reports.'
		}
	),
	v(
		4,
		2,
		'20',
		1,
		'Does nationality law protect children born in the territory who would otherwise be stateless?',
		'¿Protege la ley de nacionalidad a los niños y niñas nacidos en el territorio que de otro modo serían apátridas?',
		{
			full: 'the law grants nationality to otherwise-stateless children born in the territory, automatically or by simple application.',
			partial: 'a safeguard exists but with strict conditions (long residence, age limits, discretion).',
			absent: 'no safeguard against statelessness at birth exists.',
			look: 'nationality or citizenship act, constitution, UNHCR statelessness reports.'
		}
	),
	v(
		4,
		3,
		'20',
		1,
		'Do consulates issue identity and travel documents to nationals abroad, regardless of their migration status in the host country?',
		'¿Expiden los consulados documentos de identidad y de viaje a los nacionales en el exterior, con independencia de su situación migratoria en el país de acogida?',
		{
			full: 'consular rules allow issuing passports or identity documents to all nationals abroad, without requiring regular status in the host country.',
			partial:
				'documents are issued but require proof of regular status abroad, or are only available in a few consulates.',
			absent: 'nationals abroad cannot obtain identity or travel documents from consulates.',
			look: 'foreign ministry consular regulations, consulate websites.'
		}
	),
	v(
		4,
		4,
		'20',
		1,
		'Is there a procedure to identify stateless persons and grant them a protected status with documents?',
		'¿Existe un procedimiento para identificar a las personas apátridas y otorgarles un estatuto de protección con documentación?',
		{
			full: 'a statelessness determination procedure exists in law and leads to a status with identity documents.',
			partial: 'stateless persons can be documented only through general or discretionary procedures.',
			absent: 'no procedure exists.',
			look: 'migration or nationality law, UNHCR statelessness reports, accession to the 1954 Convention.'
		}
	),

	// Objective 5 — regular pathways (§21)
	v(
		5,
		1,
		'21(d)',
		2,
		'Does the law provide regular migration pathways for work at different skill levels, not only for highly skilled workers?',
		'¿Prevé la ley vías de migración regular por motivos laborales para distintos niveles de cualificación, y no solo para trabajadores altamente cualificados?',
		{
			full: 'work visas or permits are available for low-, medium- and high-skilled work, with published criteria.',
			partial:
				'pathways exist mainly for highly skilled workers, or for lower-skilled work only through ad hoc quotas.',
			absent: 'there is no regular pathway for labour migration.',
			look: 'immigration law and regulations, visa category lists, labour migration policy.'
		}
	),
	v(
		5,
		2,
		'21(a)',
		1,
		'Are bilateral or regional labour mobility agreements in force that include labour and human rights protections?',
		'¿Están en vigor acuerdos bilaterales o regionales de movilidad laboral que incluyan protecciones laborales y de derechos humanos?',
		{
			full: 'at least one agreement is in force and its text includes standard terms of employment or rights protections.',
			partial: 'agreements exist but their texts are not public or contain no protections.',
			absent: 'no labour mobility agreement is in force.',
			look: 'treaty databases, labour ministry, regional economic community texts, ILO country profiles.'
		}
	),
	v(
		5,
		3,
		'21',
		1,
		'Can migrants bring their family members through a family reunification procedure with published, reasonable requirements?',
		'¿Pueden las personas migrantes traer a sus familiares mediante un procedimiento de reunificación familiar con requisitos publicados y razonables?',
		{
			full: 'family reunification is available to migrants at all skill levels, with published requirements (income, housing, waiting time) and decisions within a set time limit.',
			partial:
				'reunification is limited to some categories of migrants, or requirements are unpublished or very restrictive.',
			absent: 'there is no family reunification procedure.',
			look: 'immigration law and regulations, migration authority guidance, court decisions, NGO reports.'
		}
	),
	v(
		5,
		4,
		'21(g)',
		1,
		'Are there humanitarian visas or temporary admission for people compelled to leave their country because of disasters or other precarious situations?',
		'¿Existen visados humanitarios o admisión temporal para personas obligadas a salir de su país por desastres u otras situaciones precarias?',
		{
			full: 'a legal basis exists and has been used, granting stay and permission to work.',
			partial: 'a discretionary or one-off measure exists, or stay is granted without permission to work.',
			absent: 'no such admission or stay option exists.',
			look: 'immigration law (humanitarian provisions), government decrees, migration authority statistics.'
		}
	),
	v(
		5,
		5,
		'21',
		1,
		'Can international students stay on to look for work or change to a work permit after graduating?',
		'¿Pueden las personas estudiantes internacionales permanecer en el país para buscar empleo o cambiar a un permiso de trabajo tras graduarse?',
		{
			full: 'a post-study stay or change of status is provided for in law without leaving the country.',
			partial: 'change of status is possible only in limited cases or requires leaving the country.',
			absent: 'students must leave after their studies end.',
			look: 'immigration law and regulations, study visa guidance, university international offices.'
		}
	),

	// Objective 6 — recruitment and decent work (§22)
	v(
		6,
		1,
		'22(c)',
		2,
		'Does law prohibit charging recruitment fees and related costs to migrant workers?',
		'¿Prohíbe la ley cobrar a las personas trabajadoras migrantes comisiones de contratación y gastos conexos?',
		{
			full: 'law or regulation prohibits recruiters and employers from charging fees and related costs to workers, with sanctions.',
			partial: 'fees are capped rather than prohibited, or the prohibition has no sanctions.',
			absent: 'there is no rule on recruitment fees charged to workers.',
			look: 'labour code, private employment agency regulations, ratification of ILO Convention 181.'
		}
	),
	v(
		6,
		2,
		'22(c)',
		1,
		'Must recruitment agencies be licensed or registered, and are they monitored, with sanctions for abuses?',
		'¿Deben las agencias de contratación tener licencia o registro, y se las supervisa, con sanciones en caso de abusos?',
		{
			full: 'licensing or registration is mandatory, a public register exists and sanctions have been applied.',
			partial: 'licensing exists but there is no public register or no evidence of enforcement.',
			absent: 'recruitment agencies are not regulated.',
			look: 'labour ministry regulations, public register of agencies, labour inspection reports.'
		}
	),
	v(
		6,
		3,
		'22(d)',
		1,
		'Are migrant workers entitled to a written contract in a language they understand, and to a complaint mechanism?',
		'¿Tienen derecho las personas trabajadoras migrantes a un contrato escrito en un idioma que entiendan y a un mecanismo de reclamación?',
		{
			full: 'law requires written contracts for migrant workers (including in a language they understand) and a complaint mechanism accessible to them exists.',
			partial:
				'written contracts are required but not in an understood language, or no accessible complaint mechanism exists.',
			absent: 'no such requirement exists.',
			look: 'labour code, standard contract templates, labour inspectorate or ombudsperson information.'
		}
	),
	v(
		6,
		4,
		'22',
		1,
		'Does labour law give migrant workers the same protections as nationals, including domestic and agricultural workers?',
		'¿Otorga la legislación laboral a las personas trabajadoras migrantes las mismas protecciones que a los nacionales, incluidas las del trabajo doméstico y agrícola?',
		{
			full: 'labour law applies equally to migrant workers in all sectors, including domestic and agricultural work.',
			partial:
				'equal treatment applies, but domestic, agricultural or other sectors with many migrants are excluded or covered by weaker rules.',
			absent: 'migrant workers are excluded from key labour protections.',
			look: 'labour code, domestic worker legislation, ratification of ILO Conventions 97, 143 and 189.'
		}
	),
	v(
		6,
		5,
		'22',
		1,
		'Can migrant workers change employer without losing their residence status?',
		'¿Pueden las personas trabajadoras migrantes cambiar de empleador sin perder su situación de residencia?',
		{
			full: 'permits are not tied to one employer, or changing employer is possible by simple notification.',
			partial: 'change is possible only with the employer’s consent, after a long period, or with heavy procedures.',
			absent: 'residence status is lost when the job with the sponsoring employer ends.',
			look: 'immigration and labour regulations, work permit conditions, NGO and ILO reports.'
		}
	),

	// Objective 7 — vulnerabilities (§23)
	v(
		7,
		1,
		'23(f)',
		1,
		'Are there specialised procedures for unaccompanied and separated migrant children, including prompt appointment of a guardian?',
		'¿Existen procedimientos especializados para niños, niñas y adolescentes migrantes no acompañados o separados, incluido el nombramiento rápido de un tutor?',
		{
			full: 'law or protocol sets out identification, referral to child protection and appointment of a guardian within a set time.',
			partial:
				'child protection applies in principle, but there is no specific procedure or guardian appointment is slow or discretionary.',
			absent: 'no specific procedures exist.',
			look: 'child protection law, inter-institutional protocols, ombudsperson for children reports.'
		}
	),
	v(
		7,
		2,
		'23(g)',
		1,
		'Do migrants have access to free or affordable legal assistance in proceedings that affect them?',
		'¿Tienen las personas migrantes acceso a asistencia jurídica gratuita o asequible en los procedimientos que les afectan?',
		{
			full: 'public legal aid covers migrants (including in migration proceedings) regardless of status.',
			partial: 'legal aid is available only in some proceedings, some regions, or through NGOs without public funding.',
			absent: 'migrants have no access to legal aid.',
			look: 'legal aid law, public defender office, bar association programmes, NGO reports.'
		}
	),
	v(
		7,
		3,
		'23',
		1,
		'Can migrants in an irregular situation apply for regular status through an individual assessment with clear criteria?',
		'¿Pueden las personas migrantes en situación irregular solicitar una situación regular mediante una evaluación individual con criterios claros?',
		{
			full: 'a permanent legal procedure allows individual regularisation on published criteria.',
			partial: 'only one-off or time-limited regularisation programmes, or purely discretionary decisions.',
			absent: 'there is no way to obtain regular status from within the country.',
			look: 'immigration law, regularisation decrees, migration authority statistics.'
		}
	),
	v(
		7,
		4,
		'23(b)',
		1,
		'Is there a mechanism to identify and refer migrants in vulnerable situations (such as survivors of violence or people with disabilities) to support services?',
		'¿Existe un mecanismo para identificar y derivar a servicios de apoyo a personas migrantes en situación de vulnerabilidad (como sobrevivientes de violencia o personas con discapacidad)?',
		{
			full: 'a national referral mechanism or protocol covers migrants in vulnerable situations regardless of status.',
			partial: 'referral exists only for some groups (e.g. trafficking victims) or only in some regions.',
			absent: 'no such mechanism exists.',
			look: 'protocols of migration, social and health ministries; NGO and UN agency reports.'
		}
	),

	// Objective 8 — save lives (§24)
	v(
		8,
		1,
		'24',
		1,
		'Are there procedures for search and rescue of migrants in distress, at sea or on land, that give priority to saving lives?',
		'¿Existen procedimientos de búsqueda y rescate de personas migrantes en peligro, en el mar o en tierra, que den prioridad a salvar vidas?',
		{
			full: 'search and rescue procedures exist and explicitly cover migrants, with a responsible authority.',
			partial: 'general search and rescue exists but does not address migrants or dangerous migration routes.',
			absent: 'no procedures exist.',
			look: 'maritime or civil protection authority, coast guard regulations, border agency protocols.',
			na: 'only if there are no known dangerous migration routes on the country’s territory or waters.'
		}
	),
	v(
		8,
		2,
		'24',
		1,
		'Is there a contact point or procedure for families looking for missing migrants?',
		'¿Existe un punto de contacto o procedimiento para las familias que buscan a personas migrantes desaparecidas?',
		{
			full: 'a designated authority receives searches from families, including from abroad, and coordinates with other countries.',
			partial:
				'families can only file general missing-person reports, or search relies on NGOs or the Red Cross alone.',
			absent: 'no procedure exists.',
			look: 'foreign ministry, prosecutor’s office, search commission, Red Cross family links services.'
		}
	),
	v(
		8,
		3,
		'24',
		1,
		'Are data on the remains of deceased migrants collected systematically so that they can be identified and returned to their families?',
		'¿Se recogen sistemáticamente datos sobre los restos de personas migrantes fallecidas para que puedan ser identificados y devueltos a sus familias?',
		{
			full: 'a forensic protocol or database covers unidentified remains and is used to identify migrants and notify families.',
			partial: 'forensic data are collected but not centralised or shared across regions or countries.',
			absent: 'no systematic collection exists.',
			look: 'forensic institute, prosecutor’s office, ICRC or IOM Missing Migrants reports.'
		}
	),
	v(
		8,
		4,
		'24',
		1,
		'Are deaths and disappearances of migrants recorded and published by public authorities?',
		'¿Registran y publican las autoridades públicas las muertes y desapariciones de personas migrantes?',
		{
			full: 'official figures are published regularly, disaggregated by sex and age where possible.',
			partial: 'figures are recorded but not published, or published irregularly.',
			absent: 'no official record exists.',
			look: 'official statistics, ombudsperson reports, IOM Missing Migrants Project country data.'
		}
	),

	// Objective 9 — smuggling (§25)
	v(
		9,
		1,
		'25(a)',
		1,
		'Has the country ratified or acceded to the Protocol against the Smuggling of Migrants by Land, Sea and Air?',
		'¿Ha ratificado el país el Protocolo contra el tráfico ilícito de migrantes por tierra, mar y aire, o se ha adherido a él?',
		{
			full: 'the country is a party to the Protocol.',
			partial: 'the country has signed but not ratified.',
			absent: 'the country has neither signed nor ratified.',
			look: 'United Nations Treaty Collection status page, official gazette.'
		}
	),
	v(
		9,
		2,
		'25(d)',
		1,
		'Does criminal law define migrant smuggling as an offence committed for financial or other material benefit, with higher penalties in aggravating circumstances?',
		'¿Tipifica la ley penal el tráfico ilícito de migrantes como delito cometido para obtener un beneficio económico u otro beneficio material, con penas mayores en circunstancias agravantes?',
		{
			full: 'the offence includes the financial or material benefit element and provides aggravated penalties (e.g. danger to life, inhuman treatment).',
			partial:
				'the offence exists but lacks the benefit element (so it can catch humanitarian assistance) or has no aggravating circumstances.',
			absent: 'migrant smuggling is not a specific offence.',
			look: 'criminal code, migration law penal provisions, UNODC SHERLOC legislation database.'
		}
	),
	v(
		9,
		3,
		'25',
		1,
		'Does law ensure that migrants are not prosecuted for the fact of having been smuggled?',
		'¿Garantiza la ley que las personas migrantes no sean procesadas por el hecho de haber sido objeto de tráfico ilícito?',
		{
			full: 'law explicitly exempts smuggled migrants from criminal liability for having been smuggled.',
			partial: 'no explicit exemption, but prosecutorial guidance or practice avoids prosecution.',
			absent: 'smuggled migrants can be prosecuted for having been smuggled.',
			look: 'criminal code, prosecutor guidelines, court decisions.'
		}
	),
	v(
		9,
		4,
		'25(c)',
		1,
		'Is there a protocol to identify and assist smuggled migrants, with attention to women and children?',
		'¿Existe un protocolo para identificar y asistir a las personas migrantes objeto de tráfico ilícito, con atención a mujeres y niños, niñas y adolescentes?',
		{
			full: 'a protocol sets out identification and assistance steps and is used by border and police officials.',
			partial: 'assistance is provided case by case, without a protocol.',
			absent: 'no identification or assistance measures exist.',
			look: 'police and border agency protocols, inter-institutional agreements, UNODC reports.'
		}
	),

	// Objective 10 — trafficking (§26)
	v(
		10,
		1,
		'26(a)',
		1,
		'Has the country ratified or acceded to the Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children?',
		'¿Ha ratificado el país el Protocolo para prevenir, reprimir y sancionar la trata de personas, especialmente mujeres y niños, o se ha adherido a él?',
		{
			full: 'the country is a party to the Protocol.',
			partial: 'the country has signed but not ratified.',
			absent: 'the country has neither signed nor ratified.',
			look: 'United Nations Treaty Collection status page, official gazette.'
		}
	),
	v(
		10,
		2,
		'26',
		1,
		'Does law protect victims of trafficking from punishment for offences they were compelled to commit as a result of being trafficked?',
		'¿Protege la ley a las víctimas de trata frente al castigo por los delitos que se vieron obligadas a cometer como consecuencia de la trata?',
		{
			full: 'a non-punishment provision exists in law and covers immigration offences.',
			partial: 'non-punishment is left to prosecutorial discretion or covers only some offences.',
			absent: 'no non-punishment protection exists.',
			look: 'anti-trafficking law, criminal code, prosecutor guidelines.'
		}
	),
	v(
		10,
		3,
		'26',
		1,
		'Can migrant victims of trafficking obtain a residence permit, and is assistance not conditional on cooperating with the authorities?',
		'¿Pueden las víctimas migrantes de trata obtener un permiso de residencia, y la asistencia no está condicionada a que cooperen con las autoridades?',
		{
			full: 'a residence permit and assistance (shelter, health, legal aid) are available regardless of cooperation with the prosecution.',
			partial: 'a permit or assistance exists but depends on cooperation with the authorities, or is discretionary.',
			absent: 'no residence option or assistance exists for migrant victims.',
			look: 'anti-trafficking law, immigration law, national action plan, GRETA or UNODC reports.'
		}
	),
	v(
		10,
		4,
		'26',
		1,
		'Is there a current national action plan or strategy against trafficking in persons, with a coordinating body?',
		'¿Existe un plan de acción o estrategia nacional vigente contra la trata de personas, con un órgano coordinador?',
		{
			full: 'a plan covering the current year is adopted, with a coordinating body and a budget or monitoring.',
			partial: 'a plan exists but has expired, or has no coordinating body.',
			absent: 'no plan exists.',
			look: 'government anti-trafficking commission, official gazette, UNODC Global Report country profile.'
		}
	),

	// Objective 11 — borders (§27)
	v(
		11,
		1,
		'27(c)',
		1,
		'Do border procedures include individual assessment and safeguards against refoulement and collective expulsion?',
		'¿Incluyen los procedimientos fronterizos una evaluación individual y garantías contra la devolución (refoulement) y la expulsión colectiva?',
		{
			full: 'law or border regulations require individual screening and prohibit refoulement and collective expulsion, with a remedy.',
			partial: 'safeguards exist in law but border procedures lack individual assessment or a remedy.',
			absent: 'no such safeguards exist in border procedures.',
			look: 'immigration law, border agency regulations, national human rights institution reports.'
		}
	),
	v(
		11,
		2,
		'27(a)',
		1,
		'Are border officials trained to identify and refer migrants in vulnerable situations, including children?',
		'¿Reciben los funcionarios de fronteras formación para identificar y derivar a personas migrantes en situación de vulnerabilidad, incluidos niños, niñas y adolescentes?',
		{
			full: 'a regular training programme exists and covers identification and referral.',
			partial: 'training is occasional or project-based.',
			absent: 'no such training exists.',
			look: 'border agency training curricula, annual reports, IOM or UNHCR project reports.'
		}
	),
	v(
		11,
		3,
		'27',
		1,
		'Are there cooperation agreements with neighbouring countries on border management that include the protection of migrants?',
		'¿Existen acuerdos de cooperación con países vecinos sobre gestión de fronteras que incluyan la protección de las personas migrantes?',
		{
			full: 'agreements are in force and include protection or referral clauses.',
			partial: 'agreements exist but address only security or trade.',
			absent: 'no border cooperation agreement exists.',
			look: 'treaty databases, foreign and interior ministry publications.',
			na: 'only for a country without land borders and without regular sea or air links with neighbours.'
		}
	),
	v(
		11,
		4,
		'27',
		1,
		'Is an independent body able to monitor the treatment of migrants at borders?',
		'¿Puede un organismo independiente supervisar el trato dado a las personas migrantes en las fronteras?',
		{
			full: 'a national human rights institution, ombudsperson or preventive mechanism has legal access to border facilities and publishes findings.',
			partial: 'access exists but is limited or findings are not published.',
			absent: 'no independent monitoring of borders exists.',
			look: 'ombudsperson or NHRI mandate and reports, national preventive mechanism reports.'
		}
	),

	// Objective 12 — screening and referral (§28)
	v(
		12,
		1,
		'28(a)',
		1,
		'Are the requirements for entry, stay, work and study published, with set processing times and fees?',
		'¿Se publican los requisitos de entrada, estancia, trabajo y estudio, con plazos de tramitación y tasas establecidos?',
		{
			full: 'requirements, fees and maximum processing times are published for the main permit types.',
			partial: 'requirements are published but fees or processing times are not.',
			absent: 'requirements are not published.',
			look: 'migration authority website, regulations, fee schedules.'
		}
	),
	v(
		12,
		2,
		'28(c)',
		1,
		'Is there a referral mechanism at borders and places of first arrival that sends people to the right procedure (asylum, child protection, trafficking victim support)?',
		'¿Existe un mecanismo de derivación en las fronteras y los lugares de primera llegada que encamine a las personas al procedimiento adecuado (asilo, protección de la infancia, apoyo a víctimas de trata)?',
		{
			full: 'standard operating procedures for screening and referral exist and are applied at borders and first-arrival points.',
			partial: 'referral happens only for some groups or only at some points of entry.',
			absent: 'no referral mechanism exists.',
			look: 'inter-institutional protocols, UNHCR and IOM reports, ombudsperson reports.'
		}
	),
	v(
		12,
		3,
		'28(b)',
		1,
		'Do first responders and officials receive training on identifying and referring victims of trafficking and migrants in vulnerable situations?',
		'¿Reciben los primeros intervinientes y los funcionarios formación para identificar y derivar a víctimas de trata y a personas migrantes en situación de vulnerabilidad?',
		{
			full: 'regular training is part of the curriculum for police, border, consular or judicial staff.',
			partial: 'training is occasional or limited to one group of officials.',
			absent: 'no such training exists.',
			look: 'training institutions’ curricula, ministry annual reports, project reports.'
		}
	),
	v(
		12,
		4,
		'28',
		1,
		'Can negative decisions on entry or stay be appealed, with reasons given in writing?',
		'¿Pueden recurrirse las decisiones negativas sobre entrada o estancia, con motivos comunicados por escrito?',
		{
			full: 'written reasons are required and an administrative or judicial appeal is available with suspensive effect where needed.',
			partial: 'an appeal exists but reasons are not always given, or the appeal does not stop removal.',
			absent: 'no appeal is available.',
			look: 'immigration law, administrative procedure law, court decisions.'
		}
	),

	// Objective 13 — detention (§29)
	v(
		13,
		1,
		'29(c)',
		2,
		'Does law require that immigration detention be used only as a last resort, for the shortest time, with individual assessment?',
		'¿Exige la ley que la detención migratoria se utilice solo como último recurso, durante el menor tiempo posible y con una evaluación individual?',
		{
			full: 'law requires necessity, proportionality and individual assessment, and sets a maximum length of detention.',
			partial: 'some safeguards exist but there is no maximum length, or detention is routine in practice.',
			absent: 'detention is mandatory or unregulated for migration cases.',
			look: 'immigration law, detention regulations, Global Detention Project profile, court decisions.'
		}
	),
	v(
		13,
		2,
		'29(a)',
		1,
		'Are non-custodial alternatives to detention provided for in law and available in practice?',
		'¿Están previstas en la ley alternativas a la detención no privativas de libertad y están disponibles en la práctica?',
		{
			full: 'alternatives (reporting, community placement, case management) are in law and used, with published figures.',
			partial: 'alternatives exist in law but are rarely used, or exist only as pilots.',
			absent: 'no alternatives exist.',
			look: 'immigration law, migration authority statistics, NGO and UN Network reports.'
		}
	),
	v(
		13,
		3,
		'29',
		1,
		'Is the detention of children for immigration purposes prohibited?',
		'¿Está prohibida la detención de niños, niñas y adolescentes por motivos migratorios?',
		{
			full: 'law prohibits immigration detention of children, including with their families.',
			partial: 'children are detained only exceptionally or only with families, or the prohibition is in policy only.',
			absent: 'children can be detained for immigration purposes.',
			look: 'immigration and child protection law, ombudsperson for children reports.'
		}
	),
	v(
		13,
		4,
		'29(d)',
		1,
		'Can detained migrants challenge their detention before a court, with access to legal aid and regular review?',
		'¿Pueden las personas migrantes detenidas impugnar su detención ante un tribunal, con acceso a asistencia jurídica y revisión periódica?',
		{
			full: 'judicial review is automatic or available promptly, free legal aid is provided, and detention is reviewed periodically.',
			partial: 'review is possible but slow, or legal aid is not available.',
			absent: 'detention cannot be challenged before a court.',
			look: 'immigration law, legal aid law, court decisions, monitoring reports.'
		}
	),

	// Objective 14 — consular protection (§30)
	v(
		14,
		1,
		'30(d)',
		1,
		'Do consulates have a mandate and trained staff to assist nationals abroad in vulnerable situations, such as victims of crime, trafficking or labour exploitation?',
		'¿Tienen los consulados el mandato y el personal capacitado para asistir a los nacionales en el exterior en situación de vulnerabilidad, como víctimas de delitos, trata o explotación laboral?',
		{
			full: 'consular rules define assistance for vulnerable nationals, and staff receive training on it.',
			partial: 'assistance is provided case by case without specific rules or training.',
			absent: 'no such assistance is provided.',
			look: 'consular law or regulations, foreign ministry reports, consulate websites.'
		}
	),
	v(
		14,
		2,
		'30',
		1,
		'Can nationals abroad register with their consulate to receive information and help in emergencies?',
		'¿Pueden los nacionales en el exterior inscribirse en su consulado para recibir información y ayuda en emergencias?',
		{
			full: 'voluntary consular registration exists and is used for emergency information and assistance.',
			partial: 'registration exists but is not used for emergencies, or is mandatory with burdensome conditions.',
			absent: 'no consular registration exists.',
			look: 'foreign ministry and consulate websites, consular regulations.'
		}
	),
	v(
		14,
		3,
		'30(c)',
		1,
		'Does the country have agreements on consular assistance or representation where it has no consulate of its own?',
		'¿Tiene el país acuerdos de asistencia o representación consular donde no cuenta con un consulado propio?',
		{
			full: 'agreements with other States or a regional arrangement cover places without own presence.',
			partial: 'such assistance is arranged only ad hoc.',
			absent: 'no such arrangement exists.',
			look: 'foreign ministry treaty list, regional organisation agreements.'
		}
	),
	v(
		14,
		4,
		'30',
		1,
		'Are foreign nationals who are arrested or detained informed without delay of their right to contact their consulate?',
		'¿Se informa sin demora a las personas extranjeras arrestadas o detenidas de su derecho a comunicarse con su consulado?',
		{
			full: 'law or police regulations require notification of the right to consular contact without delay.',
			partial:
				'the right exists but there is no rule on informing detainees, or reports show it is often not respected.',
			absent: 'no such right is recognised.',
			look: 'criminal procedure code, police regulations, Vienna Convention on Consular Relations implementation.'
		}
	),

	// Objective 15 — basic services (§31)
	v(
		15,
		1,
		'31',
		2,
		'Do all migrants, regardless of migration status, have access to at least emergency and primary health care?',
		'¿Tienen todas las personas migrantes, con independencia de su situación migratoria, acceso al menos a atención sanitaria de urgencia y primaria?',
		{
			full: 'law or health regulations guarantee emergency and primary care for everyone regardless of status.',
			partial: 'only emergency care is guaranteed, or access depends on documents many migrants cannot obtain.',
			absent: 'migrants in an irregular situation have no legal access to health care.',
			look: 'health law, health ministry regulations, ombudsperson and NGO reports.'
		}
	),
	v(
		15,
		2,
		'31',
		1,
		'Can all migrant children enrol in public school regardless of their or their parents’ migration status?',
		'¿Pueden todos los niños, niñas y adolescentes migrantes matricularse en la escuela pública con independencia de su situación migratoria o la de sus padres?',
		{
			full: 'education law guarantees enrolment regardless of status, without requiring residence documents.',
			partial:
				'enrolment is possible but requires documents, or certificates cannot be issued to children without status.',
			absent: 'children without regular status cannot enrol.',
			look: 'education law, ministry circulars, school enrolment guidance.'
		}
	),
	v(
		15,
		3,
		'31(b)',
		1,
		'Are service providers (health, education, social services) exempt from any duty to report migrants in an irregular situation to immigration authorities?',
		'¿Están los proveedores de servicios (salud, educación, servicios sociales) exentos de cualquier obligación de denunciar a personas migrantes en situación irregular ante las autoridades migratorias?',
		{
			full: 'law or regulation protects data at service points from immigration enforcement ("firewall").',
			partial:
				'there is no reporting duty, but no explicit protection either, or protection covers only some services.',
			absent: 'service providers must report migrants in an irregular situation.',
			look: 'immigration law, health and education regulations, data-sharing agreements.'
		}
	),
	v(
		15,
		4,
		'31(d)',
		1,
		'Can migrants complain to an independent body when denied access to basic services?',
		'¿Pueden las personas migrantes reclamar ante un organismo independiente cuando se les niega el acceso a servicios básicos?',
		{
			full: 'an ombudsperson or national human rights institution receives such complaints from anyone regardless of status.',
			partial: 'complaints are possible only through the service provider itself, or only for regular migrants.',
			absent: 'no complaint channel exists.',
			look: 'ombudsperson or NHRI mandate and annual reports.'
		}
	),
	v(
		15,
		5,
		'31(e)',
		1,
		'Do national or local health plans include the health needs of migrants?',
		'¿Incluyen los planes de salud nacionales o locales las necesidades sanitarias de las personas migrantes?',
		{
			full: 'a health plan or strategy includes specific measures for migrants (interpretation, outreach, culturally sensitive care).',
			partial: 'migrants are mentioned but no measures are specified.',
			absent: 'health plans do not mention migrants.',
			look: 'national health plan, health ministry strategies, WHO country reports.'
		}
	),

	// Objective 16 — inclusion and social cohesion (§32)
	v(
		16,
		1,
		'32',
		1,
		'Is there a national integration or inclusion policy for migrants with measurable goals?',
		'¿Existe una política nacional de integración o inclusión de las personas migrantes con metas medibles?',
		{
			full: 'an adopted policy covers labour market, education, language and non-discrimination, with goals or indicators.',
			partial: 'a policy exists without goals, or integration is covered only in scattered measures.',
			absent: 'no integration policy exists.',
			look: 'migration or integration policy documents, government plans, local authority strategies.'
		}
	),
	v(
		16,
		2,
		'32',
		1,
		'Are free or affordable courses in the national language(s) offered to adult migrants?',
		'¿Se ofrecen a las personas migrantes adultas cursos gratuitos o asequibles de la(s) lengua(s) nacional(es)?',
		{
			full: 'publicly funded language courses are available to migrants regardless of visa category.',
			partial: 'courses are limited to some groups or places, or mainly provided by NGOs without public funding.',
			absent: 'no publicly supported courses exist.',
			look: 'education or integration ministry programmes, municipal services.',
			na: 'only where the main migrant groups already speak the national language(s).'
		}
	),
	v(
		16,
		3,
		'32',
		1,
		'Can long-term resident migrants obtain permanent residence and, after a set period, naturalisation?',
		'¿Pueden las personas migrantes residentes de larga duración obtener la residencia permanente y, tras un periodo determinado, la naturalización?',
		{
			full: 'law sets clear periods and criteria for both permanent residence and naturalisation.',
			partial: 'one of the two is unavailable, or criteria are discretionary or very restrictive.',
			absent: 'neither permanent residence nor naturalisation is available to migrants.',
			look: 'immigration and nationality laws, migration authority guidance.'
		}
	),
	v(
		16,
		4,
		'32',
		1,
		'Do local or national authorities support programmes that bring migrants and host communities together?',
		'¿Apoyan las autoridades locales o nacionales programas que acerquen a las personas migrantes y a las comunidades de acogida?',
		{
			full: 'publicly funded programmes (community, cultural, sports or mentoring) run in several localities.',
			partial: 'only isolated or one-off initiatives.',
			absent: 'no such programmes exist.',
			look: 'municipal programmes, integration agency reports, grant lists.'
		}
	),

	// Objective 17 — discrimination and public discourse (§33)
	v(
		17,
		1,
		'33',
		1,
		'Does anti-discrimination law cover nationality, ethnicity and migration status, in employment, housing and services?',
		'¿Abarca la legislación contra la discriminación la nacionalidad, el origen étnico y la situación migratoria, en el empleo, la vivienda y los servicios?',
		{
			full: 'law prohibits discrimination on these grounds in all three areas, with an enforcement body.',
			partial: 'some grounds or areas are not covered, or there is no enforcement body.',
			absent: 'no anti-discrimination law covers these grounds.',
			look: 'anti-discrimination or equality law, constitution, equality body reports.'
		}
	),
	v(
		17,
		2,
		'33(a)',
		1,
		'Does law penalise hate crimes targeting migrants, and are law enforcement officials trained to respond to them?',
		'¿Sanciona la ley los delitos de odio contra personas migrantes, y están capacitados los agentes del orden para responder a ellos?',
		{
			full: 'hate motivation on grounds including nationality or origin is an offence or aggravating factor, and police training exists.',
			partial: 'the law exists but there is no training, or the grounds do not include nationality or origin.',
			absent: 'no hate crime provision exists.',
			look: 'criminal code, police training materials, OSCE/ODIHR hate crime reports where relevant.'
		}
	),
	v(
		17,
		3,
		'33',
		1,
		'Are there official measures to prevent racial or ethnic profiling of migrants by public authorities?',
		'¿Existen medidas oficiales para prevenir la elaboración de perfiles raciales o étnicos de las personas migrantes por parte de las autoridades públicas?',
		{
			full: 'profiling is prohibited in law or police regulations, with monitoring (e.g. stop data) or complaint mechanisms.',
			partial: 'a general non-discrimination rule applies to police but without specific measures on profiling.',
			absent: 'no measures exist.',
			look: 'police regulations, ombudsperson reports, equality body reports.'
		}
	),
	v(
		17,
		4,
		'33(c)',
		1,
		'Are there measures to promote accurate, evidence-based media reporting on migration?',
		'¿Existen medidas para promover una cobertura mediática precisa y basada en evidencia sobre la migración?',
		{
			full: 'a public or self-regulatory code, guide or training on migration reporting exists and is in use.',
			partial: 'only occasional trainings or campaigns.',
			absent: 'no such measures exist.',
			look: 'press council codes, media regulator, journalism school programmes, government campaigns.'
		}
	),

	// Objective 18 — skills (§34)
	v(
		18,
		1,
		'34',
		1,
		'Is there a procedure to recognise foreign qualifications, with published criteria, fees and time limits?',
		'¿Existe un procedimiento para reconocer las cualificaciones extranjeras, con criterios, tasas y plazos publicados?',
		{
			full: 'a designated body recognises foreign qualifications with published criteria, fees and maximum times.',
			partial: 'recognition exists but is slow, costly, unclear or limited to some professions.',
			absent: 'no recognition procedure exists.',
			look: 'education ministry, qualifications authority, professional bodies’ rules.'
		}
	),
	v(
		18,
		2,
		'34',
		1,
		'Has the country concluded bilateral, regional or multilateral agreements on mutual recognition of qualifications?',
		'¿Ha celebrado el país acuerdos bilaterales, regionales o multilaterales de reconocimiento mutuo de cualificaciones?',
		{
			full: 'at least one agreement is in force and covers several professions or levels.',
			partial: 'agreements cover only academic degrees or a single profession.',
			absent: 'no agreement exists.',
			look: 'treaty databases, education ministry, regional conventions (e.g. UNESCO recognition conventions).'
		}
	),
	v(
		18,
		3,
		'34',
		1,
		'Can skills acquired informally or on the job be assessed and certified for migrants?',
		'¿Pueden evaluarse y certificarse las competencias adquiridas de manera informal o en el trabajo de las personas migrantes?',
		{
			full: 'a national skills-certification system is open to migrants and covers non-formal learning.',
			partial: 'certification exists but is not open to migrants, or covers few occupations.',
			absent: 'no such certification exists.',
			look: 'national qualifications framework, vocational training authority.'
		}
	),
	v(
		18,
		4,
		'34',
		1,
		'Are there programmes for skills development or job-related language training accessible to migrants?',
		'¿Existen programas de desarrollo de competencias o de formación lingüística para el trabajo accesibles para las personas migrantes?',
		{
			full: 'public vocational or bridging programmes are open to migrants, including job-related language training.',
			partial: 'programmes exist but are limited to some categories or regions.',
			absent: 'no such programmes are accessible to migrants.',
			look: 'labour ministry, vocational training authority, public employment service.'
		}
	),

	// Objective 19 — migrants and diasporas (§35)
	v(
		19,
		1,
		'35',
		1,
		'Is migration integrated into national development planning?',
		'¿Está integrada la migración en la planificación nacional del desarrollo?',
		{
			full: 'the national development plan includes migration-specific goals or measures.',
			partial: 'migration is mentioned without measures.',
			absent: 'development planning does not address migration.',
			look: 'national development plan, SDG voluntary national review.'
		}
	),
	v(
		19,
		2,
		'35',
		1,
		'Is there a dedicated government office, focal point or policy for engaging the diaspora?',
		'¿Existe una oficina gubernamental, un punto focal o una política dedicada a la vinculación con la diáspora?',
		{
			full: 'a diaspora office or policy exists with a mandate, staff and activities.',
			partial: 'a focal point exists without a clear mandate or activities.',
			absent: 'no diaspora office, focal point or policy exists.',
			look: 'foreign ministry, diaspora agency websites, government organigrams.',
			na: 'only if the country has negligible emigration according to official data.'
		}
	),
	v(
		19,
		3,
		'35(g)',
		1,
		'Can citizens living abroad vote in national elections from abroad?',
		'¿Pueden los ciudadanos que viven en el exterior votar en las elecciones nacionales desde el extranjero?',
		{
			full: 'external voting is provided in law and was available at the last national election.',
			partial: 'external voting is in law but not implemented, or limited to some elections or places.',
			absent: 'citizens abroad cannot vote unless they return.',
			look: 'electoral law, electoral management body, International IDEA external voting database.'
		}
	),
	v(
		19,
		4,
		'35(h)',
		1,
		'Do visa, residence or citizenship rules make it easier for members of the diaspora to travel, work or invest in the country?',
		'¿Facilitan las normas de visados, residencia o ciudadanía que los miembros de la diáspora viajen, trabajen o inviertan en el país?',
		{
			full: 'specific facilitations exist (e.g. dual citizenship, diaspora cards, visa waivers for descendants).',
			partial: 'only limited facilitation (e.g. dual citizenship with restrictions).',
			absent: 'no facilitation exists.',
			look: 'nationality law, immigration law, diaspora agency publications.'
		}
	),

	// Objective 20 — remittances (§36)
	v(
		20,
		1,
		'36(f)',
		1,
		'Is there public, accessible information comparing remittance transfer costs by provider and channel?',
		'¿Existe información pública y accesible que compare los costos de envío de remesas por proveedor y canal?',
		{
			full: 'an official or officially endorsed comparison website or regular publication exists.',
			partial: 'only international databases cover the country’s corridors, or information is partial.',
			absent: 'no comparison information exists.',
			look: 'central bank, financial regulator, World Bank Remittance Prices Worldwide.'
		}
	),
	v(
		20,
		2,
		'36',
		1,
		'Do financial regulations allow non-bank remittance providers (e.g. money transfer and mobile money operators) to operate and compete?',
		'¿Permiten las normas financieras que los proveedores de remesas no bancarios (p. ej. operadores de transferencias y de dinero móvil) operen y compitan?',
		{
			full: 'non-bank providers can be licensed and access payment systems on clear terms.',
			partial:
				'non-bank providers are allowed but face restrictions such as exclusive agreements or no payment-system access.',
			absent: 'only banks may provide remittance services.',
			look: 'central bank regulations, payment systems law, financial regulator publications.'
		}
	),
	v(
		20,
		3,
		'36(i)',
		1,
		'Can migrants, including those without regular status, open a basic bank or payment account?',
		'¿Pueden las personas migrantes, incluidas las que no tienen situación regular, abrir una cuenta bancaria o de pago básica?',
		{
			full: 'regulation guarantees basic account access with identity documents that all migrants can obtain (e.g. a passport or consular ID).',
			partial: 'accounts require residence permits, or access depends on each bank’s discretion.',
			absent: 'migrants without residence permits cannot open accounts.',
			look: 'banking regulations, financial inclusion strategy, know-your-customer rules.'
		}
	),
	v(
		20,
		4,
		'36(h)',
		1,
		'Are there financial literacy or financial inclusion programmes for migrants and their families, including women?',
		'¿Existen programas de educación o inclusión financiera para personas migrantes y sus familias, incluidas las mujeres?',
		{
			full: 'a public or publicly supported programme targets migrants or remittance-receiving families, with attention to women.',
			partial: 'programmes exist but are not targeted or are one-off.',
			absent: 'no such programmes exist.',
			look: 'financial inclusion strategy, central bank, development agencies.'
		}
	),

	// Objective 21 — return and reintegration (§37)
	v(
		21,
		1,
		'37(e)',
		1,
		'Does law require that returns follow an individual assessment and allow legal remedies to be exhausted?',
		'¿Exige la ley que los retornos se realicen tras una evaluación individual y permitan agotar los recursos legales?',
		{
			full: 'law requires individual assessment, prohibits collective expulsion and allows appeal before removal.',
			partial: 'some safeguards exist but appeals do not suspend removal, or assessments are summary.',
			absent: 'no such safeguards exist.',
			look: 'immigration law, court decisions, national human rights institution reports.'
		}
	),
	v(
		21,
		2,
		'37(b)',
		1,
		'Are voluntary return programmes based on the migrant’s free, prior and informed consent, with reintegration support?',
		'¿Se basan los programas de retorno voluntario en el consentimiento libre, previo e informado de la persona migrante, con apoyo a la reintegración?',
		{
			full: 'programmes require documented informed consent and provide reintegration support.',
			partial: 'programmes exist but without consent safeguards or reintegration support.',
			absent: 'no voluntary return programme exists.',
			look: 'migration authority programmes, IOM AVRR country information.'
		}
	),
	v(
		21,
		3,
		'37(f)',
		1,
		'Is there an independent mechanism to monitor forced returns?',
		'¿Existe un mecanismo independiente para supervisar los retornos forzosos?',
		{
			full: 'an independent body monitors returns (including escorted flights) and publishes findings.',
			partial: 'monitoring exists but is not independent or not public.',
			absent: 'no monitoring exists.',
			look: 'ombudsperson or national preventive mechanism reports, immigration law.',
			na: 'only if the country carried out no forced returns in the period.'
		}
	),
	v(
		21,
		4,
		'37',
		1,
		'Are there programmes to support the reintegration of returning nationals (e.g. employment, skills recognition, psychosocial support)?',
		'¿Existen programas para apoyar la reintegración de los nacionales que retornan (p. ej. empleo, reconocimiento de competencias, apoyo psicosocial)?',
		{
			full: 'a public reintegration programme exists, open to returnees whatever the reason for return.',
			partial: 'support exists only for some returnees or only through international projects.',
			absent: 'no reintegration support exists.',
			look: 'foreign, labour or social ministries, diaspora or returnee agency, IOM reports.',
			na: 'only if the country has negligible emigration according to official data.'
		}
	),

	// Objective 22 — social protection (§38)
	v(
		22,
		1,
		'38(a)',
		1,
		'Do national social protection systems cover migrant workers on an equal footing with nationals?',
		'¿Cubren los sistemas nacionales de protección social a las personas trabajadoras migrantes en igualdad de condiciones con los nacionales?',
		{
			full: 'social security law covers migrant workers equally, including the social protection floor.',
			partial: 'coverage depends on nationality, length of residence or sector, or excludes some branches.',
			absent: 'migrant workers are excluded from social security.',
			look: 'social security law, ILO social protection country profiles.'
		}
	),
	v(
		22,
		2,
		'38(b)',
		2,
		'Has the country concluded social security agreements that allow migrant workers to carry over pensions and other earned benefits?',
		'¿Ha celebrado el país convenios de seguridad social que permitan a las personas trabajadoras migrantes conservar sus pensiones y otras prestaciones adquiridas?',
		{
			full: 'bilateral or multilateral agreements are in force with the main countries of origin or destination.',
			partial: 'agreements exist with only a few of the main partner countries, or cover only some benefits.',
			absent: 'no such agreement exists.',
			look: 'social security institution, treaty databases, regional agreements (e.g. the Ibero-American Multilateral Agreement where applicable).'
		}
	),
	v(
		22,
		3,
		'38(c)',
		1,
		'Does national law allow benefits such as pensions to be paid abroad, with a focal point for portability requests?',
		'¿Permite la legislación nacional pagar en el extranjero prestaciones como las pensiones, con un punto focal para las solicitudes de portabilidad?',
		{
			full: 'law allows export of benefits and a designated office handles requests from abroad.',
			partial: 'export is possible only under agreements or with restrictions, or no focal point exists.',
			absent: 'benefits cannot be paid abroad.',
			look: 'social security law, social security institution guidance.'
		}
	),

	// Objective 23 — international cooperation (§39)
	v(
		23,
		1,
		'39',
		1,
		'Does the country take part in regional or global cooperation processes on migration?',
		'¿Participa el país en procesos de cooperación regional o mundial sobre migración?',
		{
			full: 'the country participates in at least one regional consultative process and submitted a review to the last regional or global GCM review.',
			partial: 'the country participates in a regional process but did not submit a GCM review, or vice versa.',
			absent: 'no participation can be found.',
			look: 'regional consultative process websites, UN Network on Migration review submissions.'
		}
	),
	v(
		23,
		2,
		'39',
		1,
		'Has the government adopted a national plan or other document for implementing the Global Compact?',
		'¿Ha adoptado el gobierno un plan nacional u otro documento para aplicar el Pacto Mundial?',
		{
			full: 'an adopted plan or strategy refers to the GCM and sets actions, responsible bodies and follow-up.',
			partial: 'the GCM is referenced in policy documents but without a plan of action.',
			absent: 'no implementation document exists.',
			look: 'government policy documents, UN Network on Migration hub, national voluntary GCM review.'
		}
	),
	v(
		23,
		3,
		'39',
		1,
		'Is there a whole-of-government coordination body on migration that also consults civil society and other stakeholders?',
		'¿Existe un órgano de coordinación interinstitucional sobre migración que también consulte a la sociedad civil y a otros actores?',
		{
			full: 'a coordination body exists by law or decree, meets regularly and has a consultation channel for stakeholders.',
			partial: 'a body exists but does not meet regularly or does not consult stakeholders.',
			absent: 'no coordination body exists.',
			look: 'decrees establishing inter-ministerial commissions, meeting minutes, civil society reports.'
		}
	),
	v(
		23,
		4,
		'39',
		1,
		'Does the country provide or receive technical or financial cooperation for migration governance (e.g. through bilateral projects or the Migration Multi-Partner Trust Fund)?',
		'¿Ofrece o recibe el país cooperación técnica o financiera para la gobernanza migratoria (p. ej. mediante proyectos bilaterales o el Fondo Fiduciario de Asociados Múltiples para la Migración)?',
		{
			full: 'documented, ongoing cooperation projects exist (as provider or recipient).',
			partial: 'only past or one-off cooperation.',
			absent: 'no cooperation can be found.',
			look: 'development cooperation agency reports, Migration MPTF project list, IOM and ILO project pages.'
		}
	)
];
