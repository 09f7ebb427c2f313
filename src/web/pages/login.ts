/**
 * The sign-in page: paste an API key with the `read` scope (or `admin`). The form posts to
 * `/login`; `next` brings the reader back to the page they asked for. Pure.
 */
import { markup } from '../html.ts';
import { layout } from '../layout.ts';

export interface LoginPage {
  /** Where to go after signing in (a dashboard path). */
  readonly next: string;
  /** Why the last attempt failed. */
  readonly error?: string | undefined;
  /** A neutral message (`You are signed out.`). */
  readonly message?: string | undefined;
}

/** The whole document. */
export function renderLoginPage(page: LoginPage): string {
  const message =
    page.message === undefined ? '' : markup`<p class="notice" role="status">${page.message}</p>`;
  const error =
    page.error === undefined
      ? ''
      : markup`<p class="error-message" role="alert" id="login-error">${page.error}</p>`;
  const invalid = page.error === undefined ? '' : markup` aria-describedby="login-error" aria-invalid="true"`;
  const body = markup`<div class="login">
<h1>Sign in to the dashboard</h1>
${message}
${error}
<form method="post" action="/login">
<input type="hidden" name="next" value="${page.next}">
<div class="field"><label for="key">API key</label>
<input id="key" name="key" type="password" autocomplete="off" spellcheck="false" required${invalid}></div>
<button type="submit">Sign in</button>
</form>
<p class="hint">Use a key with the <code>read</code> (or <code>admin</code>) scope: <code>npm start</code> prints one,
and <code>revops keys create --name you --scopes read</code> makes one. The key is kept in an HttpOnly cookie
for this browser until you sign out.</p>
</div>`;
  return layout({ title: 'Sign in', heading: false, body, bare: true });
}
