// The package ships no types: it exports one function over a bundled list of 50,000 passwords.
declare module 'fxa-common-password-list' {
	const commonPasswords: { test(password: string): boolean };
	export default commonPasswords;
}
