const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Inline styles only, no scripts: the login page runs under `default-src 'none'`. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

export function loginPage({ email = '', error }: { email?: string; error?: string } = {}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mentoring queues — sign in</title>
<style>
  body { font: 16px system-ui, sans-serif; display: grid; place-items: center; min-height: 90vh; margin: 0; background: #f4f5f7; }
  form { background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px #0002; width: 20rem; display: grid; gap: .75rem; }
  input, button { font: inherit; padding: .5rem; }
  .error { color: #b00020; margin: 0; }
</style>
</head>
<body>
<form method="post" action="/login">
  <h1>Mentoring queues</h1>
  <p>Operators only.</p>
  ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
  <label>Email <input name="email" type="email" autocomplete="username" required value="${escapeHtml(email)}"></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">Sign in</button>
</form>
</body>
</html>`;
}
