/**
 * Passwords people pick first are the ones attackers try first. The list is zxcvbn-ts's common
 * passwords (about 30,000 from public breach corpora), shipped in the package: no network call. It is
 * loaded on first use, not at import, so nothing pays for it until someone sets a password.
 */
export const COMMON_PASSWORD_MESSAGE =
  "This password is too common: it appears in lists of leaked passwords that attackers try first. Choose another — a few unrelated words work well.";

let common: Promise<Set<string>> | undefined;

function commonPasswords(): Promise<Set<string>> {
  common ??= import("@zxcvbn-ts/language-common").then(
    ({ dictionary }) => new Set(dictionary["passwords-common"].map((p) => p.toLowerCase())),
  );
  return common;
}

/** Case-insensitive: "Password1" is as guessable as "password1". */
export async function isCommonPassword(password: string): Promise<boolean> {
  return (await commonPasswords()).has(password.trim().toLowerCase());
}
