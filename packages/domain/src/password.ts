/** The password rule, stated in full in every error about it. */
export const PASSWORD_RULE = '密码须为 10–128 个字符，且同时包含字母和数字';

/** Checks a new password against the rule; returns the rule's text when it fails. */
export function checkPassword(password: string): { ok: true } | { ok: false; message: string } {
  const ok =
    password.length >= 10 &&
    password.length <= 128 &&
    /[A-Za-z]/.test(password) &&
    /\d/.test(password);
  return ok ? { ok: true } : { ok: false, message: `密码不符合要求：${PASSWORD_RULE}` };
}
