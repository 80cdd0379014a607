import { describe, expect, it } from 'vitest';
import { greetingName, linkEmail, mailLocale, type LinkPurpose } from './templates';

const URL_ = 'https://observatory.example.org/account/set-password?token=inv_abc-DEF_123';
const AT = new Date('2031-05-06T07:08:09Z');
const PURPOSES: LinkPurpose[] = ['invite', 'expert_invite', 'account_created', 'password_reset'];

/** Everything in a message a mail client could make clickable: schemes, www. and dotted host names. */
function urlsIn(s: string): string[] {
	return s.match(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+|www\.[^\s"'<>]+/gi) ?? [];
}

describe('link emails', () => {
	it.each(PURPOSES.flatMap((p) => [['en', p] as const, ['es', p] as const]))(
		'%s %s: subject, the link once in the text and in the HTML, expiry, and no other URL',
		(locale, purpose) => {
			const m = linkEmail({ purpose, locale, recipientName: 'Amina', url: URL_, expiresAt: AT });
			expect(m.subject.length).toBeGreaterThan(10);
			expect(m.subject).not.toContain(URL_);
			expect(urlsIn(m.text)).toEqual([URL_]);
			// HTML: the link in the one <a href> and as visible text, nothing else.
			expect(urlsIn(m.html).map((u) => u.replace(/&#38;/g, '&'))).toEqual([URL_, URL_]);
			expect(m.html.match(/<a\b/g)).toHaveLength(1);
			expect(m.html).not.toMatch(/<img|<script|src=/i);
			expect(m.text).toContain('2031-05-06 07:08');
			expect(m.html).toContain(`lang="${locale}"`);
		}
	);

	it('writes Spanish for es-* and English otherwise', () => {
		expect(mailLocale('es-CL')).toBe('es');
		expect(mailLocale('ar')).toBe('en');
		const es = linkEmail({ purpose: 'password_reset', locale: 'es', recipientName: null, url: URL_, expiresAt: AT });
		expect(es.subject).toMatch(/Restablezca su contraseña/);
		expect(es.text).toMatch(/^Hola:/);
		const en = linkEmail({ purpose: 'invite', locale: 'fr', recipientName: null, url: URL_, expiresAt: AT });
		expect(en.subject).toMatch(/invitation/);
		expect(en.text).toMatch(/^Hello,/);
	});

	it('escapes a hostile name in the HTML and keeps it literal in the text', () => {
		const name = `<script>alert("x")</script> & 'co'`;
		const m = linkEmail({ purpose: 'invite', locale: 'en', recipientName: name, url: URL_, expiresAt: AT });
		expect(m.html).not.toContain('<script>');
		expect(m.html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39;co&#39;');
		expect(m.text.split('\n')[0]).toBe(`Hello ${name},`);
	});

	it('keeps Arabic names, isolated in the HTML, without bidi override characters', () => {
		const m = linkEmail({
			purpose: 'expert_invite',
			locale: 'es',
			recipientName: 'أمينة\u202e المهاجرة',
			url: URL_,
			expiresAt: AT
		});
		expect(m.text.split('\n')[0]).toBe('Hola, أمينة المهاجرة:');
		expect(m.html).toContain('<bdi>أمينة المهاجرة</bdi>');
		expect(m.html + m.text).not.toContain('\u202e');
	});

	it('leaves out a name that looks like a link, so the one link stays the only one', () => {
		for (const name of [
			'Visit evil.example now',
			'http://evil.example',
			'www.evil',
			'x@evil.example',
			'javascript:alert(1)'
		]) {
			expect(greetingName(name)).toBeNull();
			const m = linkEmail({ purpose: 'invite', locale: 'en', recipientName: name, url: URL_, expiresAt: AT });
			expect(m.text).not.toContain('evil');
			expect(urlsIn(m.text)).toEqual([URL_]);
		}
	});

	it('shortens a very long name and drops control characters', () => {
		const long = `${'移民'.repeat(200)}\r\nsecond line`;
		const n = greetingName(long);
		expect(n?.length).toBe(80);
		expect(n).not.toMatch(/[\r\n]/);
		expect(greetingName('   ')).toBeNull();
	});

	it('refuses a link that is not an absolute http(s) URL', () => {
		for (const url of ['/account/set-password?token=x', 'javascript:alert(1)', 'https://a.example/x"onmouseover=1']) {
			expect(() => linkEmail({ purpose: 'invite', locale: 'en', recipientName: null, url, expiresAt: AT })).toThrow(
				/absolute/
			);
		}
	});
});
