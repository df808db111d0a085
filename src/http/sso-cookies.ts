// Cookies of the single sign-on (sso.ts): the sign-in under way, and a refusal for the sign-in page to show.
export const SSO_STATE_COOKIE = 'roster_sso_state';
/** Read by the console's sign-in page (not HttpOnly), which shows and clears it; holds no secret. */
export const LOGIN_ERROR_COOKIE = 'roster_login_error';
