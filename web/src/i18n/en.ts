// English messages. Every key here is in zh-CN.ts too (the type makes a missing one an error).
export const en = {
  "app.name": "Tandem",
  "app.skip": "Skip to the main content",
  "app.loading": "Loading…",
  "app.language": "Language",
  "app.signedInAs": "Signed in as {name}",
  "app.signOut": "Sign out",
  "app.nav": "Main",
  "app.nav.catalog": "Service catalog",
  "app.notFound": "There is no page at this address.",
  "app.notFound.back": "Go to the service catalog",
  "app.error": "Something went wrong: {message}",
  "app.retry": "Try again",

  "login.title": "Sign in to Tandem",
  "login.lead": "Your provider's service desk, catalog and community in one place.",
  "login.email": "E-mail",
  "login.password": "Password",
  "login.submit": "Sign in",
  "login.submitting": "Signing in…",
  "login.failed": "The e-mail or password is not right.",
  "login.locked": "Too many failed attempts: try again in a few minutes.",
  "login.required": "Fill this in.",

  "catalog.title": "Service catalog",
  "catalog.lead": "What you can ask for, and what it takes.",
  "catalog.empty": "Nothing in the catalog is open to you yet. Ask your organisation's contact at the provider.",
  "catalog.price": "Price",
  "catalog.free": "No charge",
  "catalog.eligible": "You can request this",
  "catalog.notEligible": "Not yet available to you",
  "catalog.missing": "What is missing",
  "catalog.expected": "Expected",
  "catalog.expected.resolution": "done by {when}",
  "catalog.expected.firstResponse": "first answer by {when}",
  "catalog.expected.none": "no agreed time",
  "catalog.more": "Show more services",
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
